import { describe, expect, it } from "vitest";
import { googleEndpoints, resolveGoogleOrigin } from "../../google/endpoints";
import { clientLink, consoleLink, expandLinkTemplate, gmailActivationUrl } from "../../google/consoleLinks";

describe("endpoints", () => {
  it("uses Google's hosts by default", () => {
    const e = googleEndpoints();
    expect(e.authorize).toBe("https://accounts.google.com/o/oauth2/v2/auth");
    expect(e.token).toBe("https://oauth2.googleapis.com/token");
    expect(e.gmail("users/me/profile")).toBe("https://gmail.googleapis.com/gmail/v1/users/me/profile");
    expect(e.service("my-proj", "gmail.googleapis.com")).toBe(
      "https://serviceusage.googleapis.com/v1/projects/my-proj/services/gmail.googleapis.com",
    );
    expect(e.project("my-proj")).toBe("https://cloudresourcemanager.googleapis.com/v3/projects/my-proj");
  });

  it("sends every host to one origin with the paths unchanged", () => {
    const e = googleEndpoints("http://127.0.0.1:4000/");
    expect(e.authorize).toBe("http://127.0.0.1:4000/o/oauth2/v2/auth");
    expect(e.revoke).toBe("http://127.0.0.1:4000/revoke");
    expect(e.gmail("/users/me/profile")).toBe("http://127.0.0.1:4000/gmail/v1/users/me/profile");
  });

  it("reads the override from the flag first, then the environment", () => {
    expect(resolveGoogleOrigin("http://a", { GMAIL_OAUTH_GOOGLE_ORIGIN: "http://b" })).toBe("http://a");
    expect(resolveGoogleOrigin(undefined, { GMAIL_OAUTH_GOOGLE_ORIGIN: "http://b" })).toBe("http://b");
    expect(resolveGoogleOrigin(undefined, {})).toBeUndefined();
  });
});

describe("console links", () => {
  it("carry the project", () => {
    expect(consoleLink("audience", "acme-mail")).toBe(
      "https://console.cloud.google.com/auth/audience?project=acme-mail",
    );
    expect(consoleLink("clients")).toBe("https://console.cloud.google.com/auth/clients");
    expect(clientLink("123-abc.apps.googleusercontent.com", "p")).toBe(
      "https://console.cloud.google.com/auth/clients/123-abc.apps.googleusercontent.com?project=p",
    );
    expect(gmailActivationUrl("861228239640")).toBe(
      "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=861228239640",
    );
  });

  it("expand templates, dropping ?project= when the project is unknown", () => {
    expect(
      expandLinkTemplate("https://console.cloud.google.com/auth/audience?project={project}", { project: "p1" }),
    ).toBe("https://console.cloud.google.com/auth/audience?project=p1");
    expect(expandLinkTemplate("https://console.cloud.google.com/auth/audience?project={project}", {})).toBe(
      "https://console.cloud.google.com/auth/audience",
    );
  });
});
