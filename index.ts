// Library entry: what other programs import from this package.
export * from "./spec/types";
export * from "./google/scopes";
export * from "./google/redirectUris";
export * from "./google/authError";
