import type { BuildOptions } from 'esbuild';

export declare const ELECTRON_MAIN_OUT: string;
export declare const ELECTRON_PRELOAD_OUT: string;
export declare const nodeBundle: Readonly<BuildOptions>;
export declare function electronMainOptions(root: string, outfile: string): BuildOptions;
export declare function electronPreloadOptions(root: string, outfile: string): BuildOptions;
