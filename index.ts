// Library entry: what other programs import from this package.
export * from "./connection/types";
export * from "./google/scopes";
export * from "./google/redirectUris";
export * from "./google/authError";
