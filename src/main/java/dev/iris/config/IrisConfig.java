package dev.iris.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single configuration root of Iris ({@code iris.*}). Every key has a documented default except the
 * secrets, which have defaults only in the {@code %dev} and {@code %test} profiles; {@code app.ProdSecretsCheck}
 * refuses to start a production build with missing, development or short secrets.
 */
@ConfigMapping(prefix = "iris")
public interface IrisConfig {

    /** External base URL of the API, used in {@code ui.action} and {@code request_url}. */
    @WithName("public-url")
    @WithDefault("http://localhost:8080")
    String publicUrl();

    Ui ui();

    Secrets secrets();

    Admin admin();

    Code code();

    Flow flow();

    Session session();

    Login login();

    Http http();

    RateLimit ratelimit();

    Registration registration();

    Mail mail();

    Janitor janitor();

    Settings settings();

    Totp totp();

    WebAuthnConfig webauthn();

    /** Webhooks ({@code iris.events.*}). */
    EventsConfig events();

    /** Blocking pre-hooks ({@code iris.hooks.*}). */
    HooksConfig hooks();

    /** A deployment's own wording of emails, pages and ui texts ({@code iris.messages.*}). */
    MessagesConfig messages();

    interface Ui {
        /** Where the sign-in pages live; links in emails point here. Defaults to {@code iris.public-url}. */
        @WithName("base-url")
        Optional<String> baseUrl();

        /**
         * Where browsers may be sent after a flow ({@code return_to}): each entry is an origin plus an optional
         * path prefix, e.g. {@code https://app.example.com/}. Defaults to the UI base URL.
         */
        @WithName("allowed-return-urls")
        Optional<List<String>> allowedReturnUrls();

        /** Where a browser goes after signing in when no {@code return_to} was given. Default: {@code {ui}/welcome}. */
        @WithName("default-return-url")
        Optional<String> defaultReturnUrl();
    }

    interface Secrets {
        /** HMAC-SHA256 keys for code and link hashes: first signs, all verify; each at least 32 characters. */
        @NotEmpty
        List<String> hmac();

        /** Keys for CSRF and cookie signing (browser flows); same form as {@code hmac}. */
        @NotEmpty
        List<String> cookie();

        /** AES-256-GCM keys, base64 of 32 bytes: first encrypts, all decrypt (mail queue, flow identifiers). */
        @NotEmpty
        List<String> cipher();
    }

    interface Admin {
        /** Bearer keys accepted on {@code /admin/*}; each at least 32 characters in prod. */
        @WithName("api-keys")
        @NotEmpty
        List<String> apiKeys();
    }

    interface Code {
        /** How long a sent code and link stay valid. */
        @WithDefault("15m")
        Duration lifespan();

        /** Submissions allowed per flow, counted before comparing; resend does not reset it. */
        @WithName("max-attempts")
        @WithDefault("3")
        @Min(1)
        @Max(100)
        int maxAttempts();
    }

    interface Flow {
        /** How long a login flow lives in Redis. */
        @WithDefault("1h")
        Duration lifespan();
    }

    interface Session {
        /** How long a session lives after it is issued. */
        @WithDefault("24h")
        Duration lifespan();

        /**
         * Sliding expiry: a session in use is extended to {@code now + lifespan}, at most once per this interval
         * (so whoami stays a cache read and Postgres sees one write per session per interval).
         */
        @WithName("refresh-interval")
        @WithDefault("1h")
        Duration refreshInterval();

        /** The session cookie's attributes beyond its name. */
        Cookie cookie();

        interface Cookie {
            /**
             * The session cookie's {@code Domain} (as Kratos's {@code session.cookie.domain}): set
             * {@code example.com} to share the session between Iris on {@code auth.example.com} and a UI on
             * {@code example.com}; unset, the cookie is host-only.
             */
            Optional<String> domain();
        }

        /** Name of the browser session cookie ({@code HttpOnly; SameSite=Lax; Path=/}). */
        @WithName("cookie-name")
        @WithDefault("iris_session")
        String cookieName();

        /** Whether browser cookies carry {@code Secure}; on by default, off only for plain-HTTP development. */
        @WithName("cookie-secure")
        @WithDefault("true")
        boolean cookieSecure();

        /** Upper bound for how long a session stays in the Redis cache before it is re-read from Postgres. */
        @WithName("cache-ttl")
        @WithDefault("10m")
        Duration cacheTtl();

        Whoami whoami();

        interface Whoami {
            /**
             * {@code highest_available}: a session of an identity with a second factor is refused (403
             * {@code session_aal2_required}) until it reaches AAL2; {@code aal1}: any signed-in session passes.
             */
            @WithName("required-aal")
            @WithDefault("highest_available")
            @Pattern(regexp = "highest_available|aal1")
            String requiredAal();
        }

        /**
         * whoami from process memory: each instance keeps sessions it read recently, dropped at once when any
         * instance revokes or invalidates one (a Redis channel), emptied whenever that channel is not known to work.
         */
        @WithName("near-cache")
        NearCache nearCache();

        interface NearCache {
            /** On by default; off, every whoami reads Redis. */
            @WithDefault("true")
            boolean enabled();

            /** The longest an entry is served from memory, even when no invalidation arrives. */
            @WithDefault("5s")
            Duration ttl();

            /** Entries kept at most per instance (beyond that, none is kept until expired ones are purged). */
            @WithName("max-entries")
            @WithDefault("20000")
            @Min(1)
            int maxEntries();

            /**
             * How often each instance sends itself a ping through the channel (the fence's proof); at least 10ms, and
             * {@code ack-timeout} must be at least three of them.
             */
            @WithName("heartbeat")
            @WithDefault("50ms")
            Duration heartbeat();

            /**
             * The fence: an instance serves from memory only while a self-ping it sent less than this ago has come
             * back; so a revocation waits at most this long for acknowledgements (usually ~1 ms) and is then safe.
             */
            @WithName("ack-timeout")
            @WithDefault("250ms")
            Duration ackTimeout();
        }

        /** {@code GET /sessions/whoami?tokenize_as=<template>}: the session as a signed JWT (Kratos's tokenizer). */
        Tokenizer tokenizer();

        interface Tokenizer {
            /** Named templates ({@code iris.session.tokenizer.templates.<name>.*}); none by default. */
            Map<String, Template> templates();

            /**
             * The signing keys: a JWKS document (JSON) with private keys — EC P-256 (ES256) or RSA (RS256), each with
             * a {@code kid}. The first key signs; every key's public half is published at
             * {@code /.well-known/jwks.json}, so a key rotated out of first place keeps verifying the tokens it
             * signed while it stays listed (the overlap). Required once a template exists.
             */
            Optional<String> jwks();

            interface Template {
                /** How long a token is valid (its {@code exp}), at most until the session expires. */
                @WithDefault("1m")
                Duration ttl();

                /** The {@code aud} claim, when set. */
                Optional<List<String>> audience();

                /**
                 * Extra claims, a JSON object merged into every token of the template (static values); it cannot
                 * replace the session's own claims ({@code sub}, {@code sid}, {@code exp}, …).
                 */
                Optional<String> claims();
            }
        }

        /** True when a session must reach the identity's highest available AAL before whoami accepts it. */
        default boolean requiresHighestAal() {
            return "highest_available".equals(whoami().requiredAal());
        }
    }

    interface Http {
        /**
         * Proxies (CIDR list) whose {@code X-Forwarded-For} is believed: the client IP is then the right-most
         * entry that is not itself a trusted proxy. Empty: the socket peer is the client, headers are ignored.
         */
        @WithName("trusted-proxies")
        Optional<List<String>> trustedProxies();

        /**
         * Abuse limits count an IPv6 client by its network of this prefix length (one subscriber usually holds a
         * whole /64); 128 counts each address. IPv4 clients always count by address.
         */
        @WithName("ipv6-limit-prefix")
        @WithDefault("64")
        @Min(32)
        @Max(128)
        int ipv6LimitPrefix();
    }

    /**
     * Cluster-wide abuse limits, all counted in Redis (sliding windows). A quota is written count/duration
     * ({@code 5/5m}; units ms, s, m, h, d) and read when the configuration is, so a bad one fails at start.
     */
    interface RateLimit {
        /** Sends (flow step 1 and resend) per client IP; beyond: 429. */
        @WithName("send-per-ip")
        @WithDefault("5/5m")
        @WithConverter(QuotaConverter.class)
        Quota sendPerIp();

        /** Sends per address (hashed); beyond: the usual answer, but no email. */
        @WithName("send-per-address")
        @WithDefault("5/1h")
        @WithConverter(QuotaConverter.class)
        Quota sendPerAddress();

        /** Time between two sends in one flow; earlier: 429 with Retry-After. */
        @WithName("resend-cooldown")
        @WithDefault("60s")
        Duration resendCooldown();

        /** Failed 6-digit code attempts per address across all flows; beyond: codes fail like wrong ones. */
        @WithName("failed-codes-per-address")
        @WithDefault("10/1h")
        @WithConverter(QuotaConverter.class)
        Quota failedCodesPerAddress();

        /** Failed redemptions per client IP; beyond: 429. */
        @WithName("failed-redeems-per-ip")
        @WithDefault("30/5m")
        @WithConverter(QuotaConverter.class)
        Quota failedRedeemsPerIp();

        /** Second-factor attempts (TOTP or backup code), per identity and per session; beyond: 429. */
        @WithName("second-factor-attempts")
        @WithDefault("5/5m")
        @WithConverter(QuotaConverter.class)
        Quota secondFactorAttempts();

        /** Escalation of consecutive failed TOTP codes per identity, on top of {@code second-factor-attempts}. */
        @WithName("second-factor-lockout")
        SecondFactorLockout secondFactorLockout();

        /**
         * Every {@code second-factor-attempts} count (5) of consecutive failed TOTP codes locks TOTP for the
         * identity, first for that quota's window (5 min), then twice as long each time; a right TOTP code, a
         * backup-code sign-in or an admin reset clears the count.
         */
        interface SecondFactorLockout {
            /** Longest lockout the doubling reaches. */
            @WithName("max-backoff")
            @WithDefault("24h")
            Duration maxBackoff();

            /**
             * Consecutive failed TOTP codes after which TOTP is refused until a backup-code sign-in or an admin
             * reset (NIST SP 800-63B: at most 100).
             */
            @WithName("max-failures")
            @WithDefault("100")
            @Min(1)
            @Max(100)
            int maxFailures();

            /**
             * How long the count is kept after the last failure (its Redis key's TTL, never shorter than
             * {@code max-backoff}); a lock at {@code max-failures} also ends after this long without attempts.
             */
            @WithName("forget-after")
            @WithDefault("30d")
            Duration forgetAfter();
        }
    }

    interface Login {
        /**
         * When on, a login for an address without an account emails "no account for this address — sign up
         * here" with a working sign-up link. The HTTP answer is the same either way.
         */
        @WithName("notify-unknown-address")
        @WithDefault("false")
        boolean notifyUnknownAddress();
    }

    interface Registration {
        /** The {@code session} hook: a completed sign-up also signs the user in. */
        @WithName("session-hook")
        @WithDefault("true")
        boolean sessionHook();
    }

    interface Mail {
        /** Product name shown in emails. */
        @WithName("app-name")
        @WithDefault("Iris")
        String appName();

        /**
         * Where the emailed link lands: {@code <link-base-url>/<flow>?flow=…&code=…} (login, registration,
         * recovery, verification). Default: {@code iris.public-url}, Iris's own scanner-safe confirmation page, which works whatever UI the flow
         * came from (Kratos UIs have no page that redeems a link) and then sends the browser on to the flow's
         * {@code return_to} or the default return URL.
         */
        @WithName("link-base-url")
        Optional<String> linkBaseUrl();

        /** How often each instance polls the outbox for due mail. */
        @WithName("poll-interval")
        @WithDefault("1s")
        Duration pollInterval();

        /**
         * After a send the worker starts delivering within a random delay of up to this much, on its own event
         * loop: the work of delivering a known address's email (rendering, SMTP) must not land right after, and on
         * the thread of, the request that queued it, where the caller's next request would feel it (timing
         * enumeration). 0 starts at once.
         */
        @WithName("wake-jitter")
        @WithDefault("250ms")
        Duration wakeJitter();

        /** Rows claimed per poll. */
        @WithName("batch-size")
        @WithDefault("20")
        @Min(1)
        int batchSize();

        /** How long a claimed row stays invisible to other instances while it is being sent. */
        @WithDefault("60s")
        Duration lease();

        /** First delay after a failed delivery; doubles each time up to {@code backoff-max}. */
        @WithName("backoff-initial")
        @WithDefault("2s")
        Duration backoffInitial();

        /** Longest delay between delivery attempts. */
        @WithName("backoff-max")
        @WithDefault("5m")
        Duration backoffMax();

        /** Delivery attempts before a message is dead-lettered (kept, logged, counted). */
        @WithName("max-attempts")
        @WithDefault("20")
        @Min(1)
        int maxAttempts();

        /**
         * Accept addresses with a non-ASCII local part ({@code jürgen@example.com}). Only for a relay that takes UTF-8
         * addresses as they are: the mail client (Vert.x) never sends the SMTPUTF8 parameter of RFC 6531, so a
         * strict relay refuses them (and such a mail is dead-lettered). Domains may always be international (they go
         * out as A-labels).
         */
        @WithDefault("false")
        boolean smtputf8();
    }

    interface Janitor {
        /** How often each instance deletes rows that can never be used again. */
        @WithDefault("10m")
        Duration interval();

        /** How long expired or revoked sessions stay (for the admin API and audits) before they are deleted. */
        @WithName("session-retention")
        @WithDefault("30d")
        Duration sessionRetention();
    }

    interface Settings {
        /** How recent the sign-in must be to change security settings; older: 403 {@code session_refresh_required}. */
        @WithName("privileged-max-age")
        @WithDefault("15m")
        Duration privilegedMaxAge();
    }

    interface Totp {
        /** Issuer shown by authenticator apps next to the account name. */
        @WithDefault("Iris")
        @NotBlank
        String issuer();
    }

    default String uiBaseUrl() {
        return ui().baseUrl().orElse(publicUrl());
    }

    default String defaultReturnUrl() {
        return ui().defaultReturnUrl().orElse(uiBaseUrl() + "/welcome");
    }

    /** Where emailed links land: {@code iris.mail.link-base-url}, else Iris's own pages ({@code iris.public-url}). */
    default String linkBaseUrl() {
        return mail().linkBaseUrl().orElse(publicUrl());
    }
}
