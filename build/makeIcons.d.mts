export declare const ICON_SIZES: readonly number[];
export declare function renderIcon(size: number): Buffer;
export declare function iconPng(size: number): Buffer;
export declare function iconIco(sizes?: readonly number[]): Buffer;
export declare function writeIcons(outDir: string): void;
