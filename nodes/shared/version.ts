/** Kept equal to package.json by a unit test; nodes may not read files at run time. */
export const PACKAGE_VERSION = '0.1.0';
