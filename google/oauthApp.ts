// The kinds Google gives an OAuth app and its clients (google-behaviour.md §7, §8): who may sign in, whether the app is published,
// and the client types that serve Gmail.

export type UserType = "internal" | "external";
export type PublishingStatus = "testing" | "production";
export type ClientType = "web" | "desktop";
