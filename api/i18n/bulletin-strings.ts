export const BULLETIN_STRINGS: Record<string, [string, string, string]> = {};
