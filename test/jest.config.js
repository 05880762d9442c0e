/** Unit tests: jest with ts-jest, HTTP intercepted by nock. */
module.exports = {
	rootDir: '..',
	testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.tools.json', isolatedModules: true }] },
	testEnvironment: 'node',
	setupFilesAfterEnv: ['<rootDir>/test/helpers/jest.setup.ts'],
	collectCoverageFrom: ['nodes/**/*.ts', 'credentials/**/*.ts'],
};
