export type FuseConfig = Readonly<Record<string, unknown>>;
export declare function fuseConfigFor(platform: string): FuseConfig;
export declare function electronBinaryOf(context: unknown): string;
export declare function fuseMismatches(binary: string, config: FuseConfig): Promise<string[]>;
export declare function applyFuses(binary: string, platform: string): Promise<FuseConfig>;
