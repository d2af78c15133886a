// Verify an Iris session token locally — no call to Iris per check — and measure how many verifications one core
// does per second with jose (a stock library, not Iris's code).
//
//   npm ci && node verify.mjs http://localhost:8080 <session token> [template]
//
// Fetches the session as a JWT (GET /sessions/whoami?tokenize_as=<template>, default "api"), verifies it against
// /.well-known/jwks.json (the keys fetched once and cached, as a caller would), prints its claims, then verifies the
// same token in a loop for 5 seconds on this one thread and prints verifications per second.
import { createLocalJWKSet, jwtVerify } from "jose";

const [base, token, template = "api"] = process.argv.slice(2);
if (!base || !token) {
  console.error("usage: node verify.mjs <iris base url> <session token> [template]");
  process.exit(2);
}
const answer = await fetch(`${base}/sessions/whoami?tokenize_as=${encodeURIComponent(template)}`, {
  headers: { "X-Session-Token": token },
});
if (!answer.ok) {
  console.error(`whoami answered ${answer.status}: ${await answer.text()}`);
  process.exit(1);
}
const jwt = (await answer.json()).tokenized;
const keys = createLocalJWKSet(await (await fetch(`${base}/.well-known/jwks.json`)).json());
const { payload, protectedHeader } = await jwtVerify(jwt, keys, { issuer: base });
console.log(`verified: alg ${protectedHeader.alg}, kid ${protectedHeader.kid}`);
console.log(payload);

const seconds = 5;
const until = performance.now() + seconds * 1000;
let verified = 0;
while (performance.now() < until) {
  await jwtVerify(jwt, keys, { issuer: base });
  verified++;
}
console.log(`${Math.round(verified / seconds)} verifications per second on one core (jose, ${protectedHeader.alg})`);
