// Types for scripts/electronBinary.mjs (imported by e2e/electron.spec.ts).
export declare function findElectronBinary(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | null;
export declare const NO_ELECTRON_HINT: string;
