import { describe, expect, it } from "vitest";
import { chooseLoopbackRedirect, redirectUriFor, SUGGESTED_LOOPBACK_URI } from "../../../validator/flow/redirect";

describe("chooseLoopbackRedirect", () => {
  it("uses the first registered loopback URI of a Web client, verbatim and on its port", () => {
    const c = chooseLoopbackRedirect({
      clientType: "web",
      registeredRedirectUris: ["https://mail.example.com/cb", "http://localhost:8085/oauth/", "http://127.0.0.1:9000/"],
      redirectUris: ["https://mail.example.com/cb"],
    });
    expect(c.kind).toBe("ok");
    if (c.kind !== "ok") return;
    expect(c.plan).toMatchObject({ bindHost: "127.0.0.1", uriHost: "localhost", port: 8085, path: "/oauth/" });
    expect(redirectUriFor(c.plan, 8085)).toBe("http://localhost:8085/oauth/");
  });

  it("never borrows the app's own loopback redirect URI", () => {
    const app = "http://localhost:8069/auth_oauth/signin";
    const c = chooseLoopbackRedirect({
      clientType: "web",
      registeredRedirectUris: [app, "http://127.0.0.1:8085/"],
      redirectUris: [app],
    });
    expect(c.kind === "ok" && c.plan.registered).toBe("http://127.0.0.1:8085/");
    const only = chooseLoopbackRedirect({ clientType: "web", registeredRedirectUris: [app], redirectUris: [app] });
    expect(only.kind).toBe("missing");
    expect(only.kind === "missing" && only.detail).toContain("the app would consume the code");
  });

  it("says exactly which URI to add when a Web client has no loopback redirect", () => {
    const c = chooseLoopbackRedirect({
      clientType: "web",
      registeredRedirectUris: ["https://mail.example.com/cb"],
      redirectUris: [],
    });
    expect(c.kind).toBe("missing");
    if (c.kind !== "missing") return;
    expect(c.detail).toContain(`Add ${SUGGESTED_LOOPBACK_URI}`);
    expect(c.detail).toMatch(/validator must receive it itself/);
  });

  it("lets a Desktop client take any free port on 127.0.0.1", () => {
    const c = chooseLoopbackRedirect({ clientType: "desktop", registeredRedirectUris: undefined, redirectUris: [] });
    expect(c.kind).toBe("ok");
    if (c.kind !== "ok") return;
    expect(c.plan).toMatchObject({ bindHost: "127.0.0.1", uriHost: "127.0.0.1", port: 0, path: "/" });
    expect(redirectUriFor(c.plan, 40123)).toBe("http://127.0.0.1:40123/");
  });

  it("binds ::1 for an [::1] URI and keeps a portless http://localhost on port 80 (exact match)", () => {
    const v6 = chooseLoopbackRedirect({
      clientType: "web",
      registeredRedirectUris: ["http://[::1]:8085/"],
      redirectUris: [],
    });
    expect(v6.kind === "ok" && v6.plan.bindHost).toBe("::1");
    const portless = chooseLoopbackRedirect({
      clientType: "web",
      registeredRedirectUris: ["http://localhost/cb"],
      redirectUris: [],
    });
    expect(portless.kind === "ok" && portless.plan.port).toBe(80);
  });

  it("ignores https, fragment and query loopback URIs that cannot be served or matched", () => {
    const c = chooseLoopbackRedirect({
      clientType: "web",
      registeredRedirectUris: ["https://localhost:8443/", "http://127.0.0.1:8080/?x=1"],
      redirectUris: [],
    });
    expect(c.kind).toBe("missing");
  });
});
