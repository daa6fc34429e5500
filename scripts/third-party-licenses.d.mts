/** Write the licences of the packages bundled into dist/, read from esbuild's metafile. */
export function writeThirdPartyLicenses(metafile: string, out: string): void;
