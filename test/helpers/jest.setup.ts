/**
 * Runs in every unit-test file. Each file loads its own copy of nock into the shared jest worker,
 * and each copy patches Node's http module; a copy left active under the next file's makes one
 * socket error fire twice and crash the worker. So every file takes its nock out again at the end.
 */
import nock from 'nock';

afterAll(() => {
	nock.cleanAll();
	nock.enableNetConnect();
	nock.restore();
});
