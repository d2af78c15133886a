package dev.iris.testsupport;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;

/** Drives Iris over HTTP the way a Kratos client does. One instance per base URL. */
public final class Api {

    public static final String TEST_ADMIN_KEY = "insecure-test-admin-key-0123456789abcdef";

    private final String baseUri;
    private final String adminKey;
    private final String clientIp;

    /**
     * {@code clientIp} is sent as {@code X-Forwarded-For} (tests run Iris with loopback as a trusted proxy), so
     * each client has its own rate-limit budget; null sends no header (the socket peer counts).
     */
    public Api(String baseUri, String adminKey, String clientIp) {
        this.baseUri = baseUri;
        this.adminKey = adminKey;
        this.clientIp = clientIp;
    }

    /** The in-process {@code @QuarkusTest} app (RestAssured's port, as Quarkus sets it before each test). */
    public static Api local() {
        return new Api(null, TEST_ADMIN_KEY, randomIp());
    }

    /** The same app, seen as coming from {@code ip} (null: from the socket peer). */
    public Api as(String ip) {
        return new Api(baseUri, adminKey, ip);
    }

    /** A random address from the documentation block 198.18.0.0/15, one per simulated client. */
    public static String randomIp() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return "198." + (18 + r.nextInt(2)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    /** How pages show an address to someone who may not own it. */
    public static String maskedForTests(String email) {
        return email.charAt(0) + "•••" + email.substring(email.indexOf('@'));
    }

    public static String uniqueEmail() {
        return "user-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    }

    public RequestSpecification request() {
        RequestSpecification spec = baseUri == null ? RestAssured.given() : RestAssured.given().baseUri(baseUri);
        return clientIp == null ? spec : spec.header("X-Forwarded-For", clientIp);
    }

    public String createIdentity(String email) {
        return request().header("Authorization", "Bearer " + adminKey).contentType(ContentType.JSON)
                .body(Map.of("schema_id", "default", "traits", Map.of("email", email)))
                .post("/admin/identities").then().statusCode(201).extract().path("id");
    }

    public String adminKey() {
        return adminKey;
    }

    public String newLoginFlow() {
        return request().get("/self-service/login/api").then().statusCode(200).extract().path("id");
    }

    public Response submit(String flowId, Map<String, ?> body) {
        return request().contentType(ContentType.JSON).queryParam("flow", flowId).body(body)
                .post("/self-service/login");
    }

    public Response send(String flowId, String email) {
        return submit(flowId, Map.of("method", "code", "identifier", email));
    }

    public Response redeemCode(String flowId, String email, String code) {
        return submit(flowId, Map.of("method", "code", "identifier", email, "code", code));
    }

    public Response redeemLink(String flowId, String linkToken) {
        return submit(flowId, Map.of("method", "code", "code", linkToken));
    }

    public Response resend(String flowId, String email) {
        return submit(flowId, Map.of("method", "code", "resend", "code", "identifier", email));
    }

    public String newRegistrationFlow() {
        return request().get("/self-service/registration/api").then().statusCode(200).extract().path("id");
    }

    public Response register(String flowId, Map<String, ?> body) {
        return request().contentType(ContentType.JSON).queryParam("flow", flowId).body(body)
                .post("/self-service/registration");
    }

    public Response signUp(String flowId, String email) {
        return register(flowId, Map.of("method", "code", "traits", Map.of("email", email)));
    }

    public Response completeSignUp(String flowId, String email, String code) {
        return register(flowId, Map.of("method", "code", "code", code, "traits", Map.of("email", email)));
    }

    /** A new api settings flow for the session {@code token}; its id. */
    public String newSettingsFlow(String token) {
        return request().header("X-Session-Token", token).get("/self-service/settings/api").then().statusCode(200)
                .extract().path("id");
    }

    /**
     * Five login sends to {@code email}, each from its own client: the address's send quota (5 per hour) is spent, so
     * the next send to it issues nothing.
     */
    public void spendSendQuota(String email) {
        for (int i = 0; i < 5; i++) {
            Api client = as(randomIp());
            client.send(client.newLoginFlow(), email).then().statusCode(400);
        }
    }

    public RequestSpecification admin() {
        return request().header("Authorization", "Bearer " + adminKey);
    }

    public Response whoami(String token) {
        return request().header("X-Session-Token", token).get("/sessions/whoami");
    }

    public Response logout(String token) {
        return request().contentType(ContentType.JSON).body(Map.of("session_token", token))
                .delete("/self-service/logout/api");
    }

    /** Creates an identity for {@code email}, starts a login flow, sends, and waits for the email. */
    public SentLogin identityWithSentLogin(String email) {
        createIdentity(email);
        String flow = newLoginFlow();
        send(flow, email).then().statusCode(400);
        return new SentLogin(flow, email, Smtp.awaitLogin(email));
    }

    /** Signs {@code email} in by code and returns the session token. */
    public String signIn(String email) {
        int before = Smtp.messagesTo(email).size();
        String flow = newLoginFlow();
        send(flow, email).then().statusCode(400);
        LoginMail mail = LoginMail.parse(Smtp.await(email, before + 1, java.time.Duration.ofSeconds(20)).get(before));
        return redeemCode(flow, email, mail.code()).then().statusCode(200).extract().path("session_token");
    }
}
