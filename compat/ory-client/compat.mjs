// Kratos SDK compatibility check: drives the packaged Iris (target/quarkus-app) with the official
// @ory/client SDK, exactly as the seed does: updateLoginFlow({flow, updateLoginFlowBody: {method: "code",
// identifier}}), reads the code from a real SMTP capture, completes the login and calls toSession; then recovery
// (updateRecoveryFlow) and verification (updateVerificationFlow) by emailed code. Webhooks: a receiver here checks
// every delivery with the standardwebhooks npm package (not Iris's code) and expects the login's events.
//
// Needs Postgres and Redis named by the usual env vars (QUARKUS_DATASOURCE_REACTIVE_URL,
// QUARKUS_DATASOURCE_JDBC_URL, QUARKUS_DATASOURCE_USERNAME/PASSWORD, QUARKUS_REDIS_HOSTS); .ci/run sets them.
// Exits non-zero on the first unexpected answer.
import { Configuration, FrontendApi, IdentityApi } from "@ory/client";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { randomBytes, generateKeyPairSync } from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { Webhook } from "standardwebhooks";
import { createServer as createHttpServer } from "node:http";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fs from "node:fs";
import assert from "node:assert/strict";

const here = path.dirname(fileURLToPath(import.meta.url));
const appJar = path.resolve(here, "../../target/quarkus-app/quarkus-run.jar");
for (const name of ["QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_REDIS_HOSTS"]) {
  if (!process.env[name]) {
    console.error(`compat: ${name} must name the Postgres/Redis to use`);
    process.exit(2);
  }
}
if (!fs.existsSync(appJar)) {
  console.error(`compat: ${appJar} is missing; run ./mvnw package first`);
  process.exit(2);
}

const inbox = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream).then((mail) => { inbox.push(mail); callback(); }, callback);
  },
});

const freePort = () => new Promise((resolve) => {
  const server = createServer();
  server.listen(0, "127.0.0.1", () => { const { port } = server.address(); server.close(() => resolve(port)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secret = () => randomBytes(32).toString("base64url");

async function waitFor(predicate, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = predicate();
    if (value) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const mailTo = (email) => inbox.filter((m) => m.to?.value?.some((a) => a.address.toLowerCase() === email));
const parseMail = (mail) => {
  const link = mail.text.match(/(https?:\/\/\S+\/login\?flow=([0-9a-f-]{36})&code=([A-Za-z0-9_-]{43}))/);
  const code = mail.text.match(/device you started signing in:\s+(\d{6})/);
  assert.ok(link && code, "email holds a link and a 6-digit code");
  return { link: link[1], flow: link[2], token: link[3], code: code[1] };
};

/** The SDK throws on 4xx; Kratos answers "code sent" with 400 + the flow. */
async function expect400(promise) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.response?.status, 400, `expected 400, got ${e.response?.status}: ${JSON.stringify(e.response?.data)}`);
    return e.response.data;
  }
  throw new Error("expected a 400 answer");
}

/** The JSON's shape: per-request values become markers; {@code addressField} names the node that echoes the address. */
const shape = (value, key, addressField = "identifier") => {
  const varying = ["id", "expires_at", "issued_at", "created_at", "updated_at", "action", "request_url", "resend_at"];
  if (Array.isArray(value)) return value.map((v) => shape(v, null, addressField));
  if (value && typeof value === "object") {
    const isIdentifier = value.name === addressField;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k,
      varying.includes(k) && typeof v !== "object" && !("text" in value) ? "<varies>"
        : isIdentifier && k === "value" ? "<address>" : shape(v, k, addressField)]));
  }
  return value;
};

// Webhooks: every request is verified with the standardwebhooks package; a bad signature fails the check.
const webhookSecret = `whsec_${randomBytes(32).toString("base64")}`;
const webhooks = [];
const receiver = createHttpServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    try {
      webhooks.push({ id: req.headers["webhook-id"], event: new Webhook(webhookSecret).verify(body, req.headers) });
      res.writeHead(204).end();
    } catch (e) {
      webhooks.push({ error: String(e) });
      res.writeHead(400).end();
    }
  });
});

let app;
let failed = false;
try {
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${receiver.address().port}/iris`;
  await new Promise((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = smtp.server.address().port;
  const port = await freePort();
  const adminKey = secret();
  const basePath = `http://127.0.0.1:${port}`;
  const log = fs.createWriteStream(path.resolve(here, "iris-compat.log"));
  // Session tokens (whoami ?tokenize_as=compat): a fresh P-256 key, the template named on the command line.
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "compat-1", alg: "ES256", use: "sig" };
  app = spawn("java", ["-Diris.session.tokenizer.templates.compat.ttl=2m", "-jar", appJar], {
    env: {
      ...process.env,
      QUARKUS_HTTP_PORT: String(port),
      QUARKUS_MAILER_HOST: "127.0.0.1",
      QUARKUS_MAILER_PORT: String(smtpPort),
      IRIS_PUBLIC_URL: basePath,
      IRIS_SECRETS_HMAC: secret(),
      IRIS_SECRETS_COOKIE: secret(),
      IRIS_SECRETS_CIPHER: randomBytes(32).toString("base64"),
      IRIS_ADMIN_API_KEYS: adminKey,
      IRIS_SESSION_TOKENIZER_JWKS: JSON.stringify({ keys: [signingKey] }),
      IRIS_EVENTS_ENDPOINTS_COMPAT_URL: webhookUrl,
      IRIS_EVENTS_ENDPOINTS_COMPAT_SECRET: webhookSecret,
      IRIS_EVENTS_POLL_INTERVAL: "200ms",
      // Every call comes from 127.0.0.1: room for this script's eight sends (the default is 5 per 5 minutes).
      IRIS_RATELIMIT_SEND_PER_IP: "20/5m",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app.stdout.pipe(log);
  app.stderr.pipe(log);
  const deadline = Date.now() + 90000;
  for (;;) {
    if (app.exitCode !== null) throw new Error("Iris exited during start; see iris-compat.log");
    try { if ((await fetch(`${basePath}/q/health/ready`)).ok) break; } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error("Iris did not become ready");
    await sleep(250);
  }

  const frontend = new FrontendApi(new Configuration({ basePath }));
  const admin = new IdentityApi(new Configuration({ basePath, accessToken: adminKey }));
  const email = `compat-${randomBytes(4).toString("hex")}@example.com`;

  const { data: identity } = await admin.createIdentity({
    createIdentityBody: { schema_id: "default", traits: { email } },
  });
  assert.equal(identity.traits.email, email);

  // 1. The seed's call: send the code + link.
  const { data: flow } = await frontend.createNativeLoginFlow();
  assert.equal(flow.type, "api");
  const sent = await expect400(frontend.updateLoginFlow({
    flow: flow.id,
    updateLoginFlowBody: { method: "code", identifier: email },
  }));
  assert.equal(sent.state, "sent_email");
  assert.ok(sent.ui.messages.some((m) => m.id === 1010014), "message 1010014");
  const { data: fetched } = await frontend.getLoginFlow({ id: flow.id });
  assert.equal(fetched.state, "sent_email");

  // 2. The code from the real SMTP capture completes the login; toSession sees it.
  const mail = parseMail((await waitFor(() => mailTo(email)[0] && mailTo(email), "sign-in email"))[0]);
  assert.equal(mailTo(email)[0].subject, "Your sign-in link");
  const { data: login } = await frontend.updateLoginFlow({
    flow: flow.id,
    updateLoginFlowBody: { method: "code", identifier: email, code: mail.code },
  });
  assert.ok(login.session_token, "session_token");
  assert.equal(login.session.authentication_methods[0].method, "code");
  const { data: session } = await frontend.toSession({ xSessionToken: login.session_token });
  assert.equal(session.identity.id, identity.id);
  assert.equal(session.identity.traits.email, email);

  // 2b. tokenize_as: the session as a JWT, verified by jose (not Iris's code) against /.well-known/jwks.json.
  const { data: tokenized } = await frontend.toSession({ xSessionToken: login.session_token, tokenizeAs: "compat" });
  const jwks = createRemoteJWKSet(new URL(`${basePath}/.well-known/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(tokenized.tokenized, jwks, {
    issuer: basePath, algorithms: ["ES256"],
  });
  assert.equal(protectedHeader.kid, "compat-1");
  assert.equal(payload.sub, identity.id);
  assert.equal(payload.sid, session.id);
  assert.equal(payload.email, email);
  assert.deepEqual(payload.amr, ["code"]);
  assert.equal(payload.exp - payload.iat, 120);
  try {
    await frontend.toSession({ xSessionToken: login.session_token, tokenizeAs: "no-such-template" });
    throw new Error("an unknown tokenize_as template must fail");
  } catch (e) {
    assert.equal(e.response?.status, 400);
  }
  console.log("compat: toSession({tokenizeAs}) JWT verified with jose against the published JWKS: OK");

  // 3. The link token from a fresh client that never saw the flow.
  const { data: flow2 } = await frontend.createNativeLoginFlow();
  await expect400(frontend.updateLoginFlow({ flow: flow2.id, updateLoginFlowBody: { method: "code", identifier: email } }));
  const mail2 = parseMail((await waitFor(() => mailTo(email).length >= 2 && mailTo(email), "second email"))[1]);
  const fresh = new FrontendApi(new Configuration({ basePath }));
  const { data: linked } = await fresh.updateLoginFlow({
    flow: mail2.flow,
    updateLoginFlowBody: { method: "code", code: mail2.token },
  });
  const { data: linkedSession } = await fresh.toSession({ xSessionToken: linked.session_token });
  assert.equal(linkedSession.identity.id, identity.id);

  // 4. An unknown address answers the same way and gets no email.
  const unknown = `nobody-${randomBytes(4).toString("hex")}@example.com`;
  const { data: flow3 } = await frontend.createNativeLoginFlow();
  const unknownSent = await expect400(frontend.updateLoginFlow({
    flow: flow3.id, updateLoginFlowBody: { method: "code", identifier: unknown },
  }));
  assert.deepEqual(shape(unknownSent), shape(sent));

  // 5. Logout through the SDK; the session is gone.
  await frontend.performNativeLogout({ performNativeLogoutBody: { session_token: login.session_token } });
  try {
    await frontend.toSession({ xSessionToken: login.session_token });
    throw new Error("toSession after logout must fail");
  } catch (e) {
    assert.equal(e.response?.status, 401);
  }
  await sleep(2000);
  assert.equal(mailTo(unknown).length, 0, "no email for an unknown address");
  console.log("compat: @ory/client login by code and by link, toSession, logout, no enumeration: OK");

  // Webhooks for what just happened, each verified by the standardwebhooks package.
  const eventOf = (type, check) => webhooks.find((w) => w.event?.type === type && check(w.event.data));
  await waitFor(() => eventOf("session.revoked", (d) => d.session_id === session.id), "session.revoked webhook");
  assert.ok(eventOf("identity.created", (d) => d.identity_id === identity.id && d.email === email));
  assert.ok(eventOf("session.created", (d) => d.session_id === session.id && d.aal === "aal1"));
  assert.equal(eventOf("session.revoked", (d) => d.session_id === session.id).event.data.reason, "logout");
  assert.deepEqual(webhooks.filter((w) => w.error), [], "every webhook verified");
  console.log(`compat: ${webhooks.length} webhooks verified with the standardwebhooks package: OK`);

  // 6. Recovery (method code): 200 "sent" (1060003), the emailed code signs in (code_recovery) and names the
  //    settings flow to show; an unknown address answers the same and gets nothing.
  const codeIn = (mail, verb) => mail.text.match(new RegExp(`device you started ${verb}:\\s+(\\d{6})`))[1];
  const before = mailTo(email).length;
  const { data: recovery } = await frontend.createNativeRecoveryFlow();
  assert.equal(recovery.state, "choose_method");
  const { data: recoverySent } = await frontend.updateRecoveryFlow({
    flow: recovery.id, updateRecoveryFlowBody: { method: "code", email },
  });
  assert.equal(recoverySent.state, "sent_email");
  assert.ok(recoverySent.ui.messages.some((m) => m.id === 1060003), "message 1060003");
  const recoveryMail = (await waitFor(() => mailTo(email).length > before && mailTo(email), "recovery email"))[before];
  assert.equal(recoveryMail.subject, "Recover access to your account");
  const { data: recovered } = await frontend.updateRecoveryFlow({
    flow: recovery.id, updateRecoveryFlowBody: { method: "code", code: codeIn(recoveryMail, "recovering") },
  });
  assert.equal(recovered.state, "passed_challenge");
  const tokenItem = recovered.continue_with.find((c) => c.action === "set_ory_session_token");
  const settingsItem = recovered.continue_with.find((c) => c.action === "show_settings_ui");
  assert.ok(tokenItem && settingsItem, "continue_with set_ory_session_token + show_settings_ui");
  const { data: recoveredSession } = await frontend.toSession({ xSessionToken: tokenItem.ory_session_token });
  assert.equal(recoveredSession.authentication_methods[0].method, "code_recovery");
  const { data: afterRecovery } = await frontend.getSettingsFlow({
    id: settingsItem.flow.id, xSessionToken: tokenItem.ory_session_token,
  });
  assert.ok(afterRecovery.ui.messages.some((m) => m.id === 1060001), "settings flow says 1060001");
  const { data: recovery2 } = await frontend.createNativeRecoveryFlow();
  const { data: unknownRecovery } = await frontend.updateRecoveryFlow({
    flow: recovery2.id, updateRecoveryFlowBody: { method: "code", email: unknown },
  });
  assert.deepEqual(shape(unknownRecovery, null, "email"), shape(recoverySent, null, "email"));

  // 7. Verification (method code) of an address created unverified by the admin API.
  const other = `verify-${randomBytes(4).toString("hex")}@example.com`;
  const { data: unverified } = await admin.createIdentity({
    createIdentityBody: { schema_id: "default", traits: { email: other } },
  });
  assert.equal(unverified.verifiable_addresses[0].verified, false);
  const { data: verification } = await frontend.createNativeVerificationFlow();
  const { data: verificationSent } = await frontend.updateVerificationFlow({
    flow: verification.id, updateVerificationFlowBody: { method: "code", email: other },
  });
  assert.ok(verificationSent.ui.messages.some((m) => m.id === 1080003), "message 1080003");
  const verificationMail = (await waitFor(() => mailTo(other)[0] && mailTo(other), "verification email"))[0];
  const { data: verified } = await frontend.updateVerificationFlow({
    flow: verification.id, updateVerificationFlowBody: { method: "code", code: codeIn(verificationMail, "verifying") },
  });
  assert.equal(verified.state, "passed_challenge");
  assert.ok(verified.ui.messages.some((m) => m.id === 1080002), "message 1080002");
  const { data: nowVerified } = await admin.getIdentity({ id: unverified.id });
  assert.equal(nowVerified.verifiable_addresses[0].verified, true);
  await sleep(1000);
  assert.equal(mailTo(unknown).length, 0, "no recovery email for an unknown address");
  console.log("compat: @ory/client recovery (code_recovery session, settings flow) and verification: OK");
} catch (e) {
  failed = true;
  console.error("compat: FAILED:", e.stack || e);
} finally {
  if (app && app.exitCode === null) {
    app.kill("SIGTERM");
    await new Promise((r) => { app.once("exit", r); setTimeout(r, 15000); });
  }
  smtp.close();
  receiver.close();
}
process.exit(failed ? 1 : 0);
