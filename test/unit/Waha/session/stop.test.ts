import { expectSessionChange, useWahaUnit } from '../../../helpers/waha';

useWahaUnit();

describe('WAHA › Session', () => {
	it.each(['stop'])('%ss the session and outputs it as a GET shows it', expectSessionChange);
});
