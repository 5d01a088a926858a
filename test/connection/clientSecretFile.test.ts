import { describe, expect, it } from "vitest";
import { clientSecretFile } from "../../connection/clientSecretFile";

describe("clientSecretFile", () => {
  it("writes a Web client in the console's download format", () => {
    const file = clientSecretFile(
      {
        name: "f",
        type: "web",
        clientId: "1-a.apps.googleusercontent.com",
        redirectUris: ["https://x.acme.com/cb"],
        javascriptOrigins: ["https://x.acme.com"],
      },
      "proj-1",
      "GOCSPX-s",
    );
    expect(file).toEqual({
      web: {
        client_id: "1-a.apps.googleusercontent.com",
        project_id: "proj-1",
        auth_uri: "https://accounts.google.com/o/oauth2/auth",
        token_uri: "https://oauth2.googleapis.com/token",
        auth_provider_x509_cert_url: "https://www.googleapis.com/oauth2/v1/certs",
        client_secret: "GOCSPX-s",
        redirect_uris: ["https://x.acme.com/cb"],
        javascript_origins: ["https://x.acme.com"],
      },
    });
  });

  it("writes a Desktop client under `installed` with the loopback redirect", () => {
    const file = clientSecretFile(
      {
        name: "d",
        type: "desktop",
        clientId: "1-a.apps.googleusercontent.com",
        redirectUris: [],
        javascriptOrigins: [],
      },
      "proj-1",
      "GOCSPX-s",
    );
    expect(file.web).toBeUndefined();
    expect(file.installed).toMatchObject({ redirect_uris: ["http://localhost"] });
    expect(file.installed).not.toHaveProperty("javascript_origins");
  });
});
