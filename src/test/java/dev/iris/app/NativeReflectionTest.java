package dev.iris.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.webauthn4j.data.PublicKeyCredential;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the native build from rotting without a native build: every record and enum of Iris is either
 * registered for reflection ({@link NativeReflection}) or declared here as in-memory only, and everything a
 * registered type holds is registered too.
 */
class NativeReflectionTest {

    /** Records and enums that never pass through Jackson (built and used in memory only). */
    private static final Set<String> IN_MEMORY_ONLY = Set.of(
            "dev.iris.identity.IdentityService$Page", "dev.iris.selfservice.flow.Submission",
            "dev.iris.selfservice.flow.SubmitContext", "dev.iris.selfservice.login.FirstFactorFlowService$PageFlow",
            "dev.iris.selfservice.flow.Outcome$Shown", "dev.iris.selfservice.flow.Outcome$EmailSent",
            "dev.iris.selfservice.flow.Outcome$Passed", "dev.iris.selfservice.flow.Outcome$Handover", "dev.iris.selfservice.sessions.WhoamiRoute$Answer", "dev.iris.session.NearSessionCache$Held", "dev.iris.session.SessionTokenizer$Issued", "dev.iris.session.SessionTokenizer$Signed",
            "dev.iris.selfservice.flow.FlowResult$Form",
            "dev.iris.selfservice.flow.FlowResult$Updated", "dev.iris.selfservice.flow.FlowResult$Success",
            "dev.iris.selfservice.flow.FlowResult$BrowserLocationChange",
            "dev.iris.selfservice.flow.SecondFactorMethod$Verdict$Accepted",
            "dev.iris.selfservice.flow.SecondFactorMethod$Verdict$Refused",
            "dev.iris.selfservice.flow.SettingsMethod$Change$Refused",
            "dev.iris.selfservice.flow.SettingsMethod$Change$Showing",
            "dev.iris.selfservice.flow.SettingsMethod$Change$Saved", "dev.iris.selfservice.flow.FlowState$Event",
            "dev.iris.http.FlowAnswers$BrowserCsrf", "dev.iris.mail.MailQueued", "dev.iris.web.FlowPageText",
            "dev.iris.web.SettingsPage$Credential", "dev.iris.web.PageLanguage$Option",
            "dev.iris.web.PageLanguage$Choice",
            "dev.iris.selfservice.settings.SettingsFlowService$Caller",
            "dev.iris.http.ClientIpResolver$Cidr", "dev.iris.config.Quota",
            "dev.iris.ratelimit.SlidingWindow$Verdict", "dev.iris.ratelimit.ResendCooldown$Start",
            "dev.iris.ratelimit.SlidingWindow$Slot", "dev.iris.ratelimit.AbuseGuard$CodeSlot",
            "dev.iris.ratelimit.SecondFactorLockout$Slot",
            "dev.iris.events.WebhookStore$Claimed", "dev.iris.events.WebhookStore$Listed",
            "dev.iris.events.WebhookEndpoints$Endpoint", "dev.iris.events.EventType",
            "dev.iris.config.HooksConfig$OnFailure", "dev.iris.selfservice.hook.PreHooks$Verdict",
            "dev.iris.method.code.Redemption$Denied",
            "dev.iris.method.code.CodeStore$Issue", "dev.iris.method.code.StatementBatcher$Call",
            "dev.iris.method.totp.TotpCredentials$Enrolment",
            "dev.iris.method.code.Redemption$Success", "dev.iris.method.code.Redemption$Invalid",
            "dev.iris.method.code.Redemption$Exhausted", "dev.iris.mail.OutboxStore$Claimed",
            "dev.iris.session.SessionCache$Entry", "dev.iris.session.SessionCache$Lookup",
            "dev.iris.session.SessionService$Upgraded",
            "dev.iris.session.SessionIssuer$Issued", "dev.iris.session.ClientInfo",
            "dev.iris.method.code.CodeStore$NewCode", "dev.iris.method.code.CodeStore$QueuedMail",
            "dev.iris.method.code.CodeStore$OpenCode", "dev.iris.method.code.CodeStore$Notice",
            "dev.iris.credential.WebAuthnStore$Credential", "dev.iris.credential.WebAuthnStore$Kind",
            "dev.iris.method.passkey.WebAuthnSteps$Checked$Verified", "dev.iris.method.passkey.WebAuthnSteps$Checked$Refused",
            "dev.iris.method.passkey.WebAuthnSteps$SettingsFields",
            "dev.iris.method.passkey.PasskeyCeremonies$NewCredential",
            "dev.iris.method.passkey.PasskeyCeremonies$Assertion",
            "dev.iris.identity.AddressCollisionReport$Findings",
            "dev.iris.identity.AddressCollisionReport$Stored");

    /** The reflection configuration of webauthn4j's data model (JSON: one entry per class, no comments). */
    private static final String WEBAUTHN4J_CONFIG = "META-INF/native-image/dev.iris/iris/reflect-config.json";

    private static Set<Class<?>> registered() {
        return Set.of(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets());
    }

    @Test
    void everyRecordAndEnumIsRegisteredOrDeclaredInMemoryOnly() throws Exception {
        Set<Class<?>> registered = registered();
        List<Class<?>> unaccounted = irisClasses().stream()
                .filter(type -> type.isRecord() || type.isEnum())
                .filter(type -> !registered.contains(type) && !type.isAnnotationPresent(RegisterForReflection.class))
                .filter(type -> !IN_MEMORY_ONLY.contains(type.getName()))
                .toList();
        assertThat(unaccounted).as("register these in NativeReflection, or declare them in-memory only here")
                .isEmpty();
    }

    @Test
    void everythingARegisteredTypeHoldsIsRegistered() {
        Set<Class<?>> registered = registered();
        Set<Class<?>> missing = new HashSet<>();
        for (Class<?> type : registered) {
            if (!type.isRecord()) {
                continue;
            }
            for (RecordComponent component : type.getRecordComponents()) {
                irisTypesIn(component.getGenericType()).stream()
                        .filter(held -> !registered.contains(held)).forEach(missing::add);
            }
        }
        assertThat(missing).as("held by a registered type but not registered").isEmpty();
    }

    @Test
    void inMemoryOnlyNamesStillExist() {
        assertThat(IN_MEMORY_ONLY).allSatisfy(name -> {
            Class<?> type = Class.forName(name);
            assertThat(type.isRecord() || type.isEnum()).as(name).isTrue();
        });
    }

    /**
     * webauthn4j binds its whole data model with Jackson (creators, attestation statements and COSE keys chosen by
     * type, (de)serializers named in annotations) and ships no native-image metadata, so Iris lists its data and
     * Jackson classes in {@value #WEBAUTHN4J_CONFIG}: this keeps that list in step with the webauthn4j on the class path.
     */
    @Test
    void everyWebAuthn4jDataAndJacksonClassIsInTheReflectionConfig() throws Exception {
        Set<String> listed = new HashSet<>();
        try (InputStream in = NativeReflectionTest.class.getClassLoader().getResourceAsStream(WEBAUTHN4J_CONFIG)) {
            assertThat(in).as(WEBAUTHN4J_CONFIG).isNotNull();
            new ObjectMapper().readTree(in).forEach(entry -> listed.add(entry.get("name").asText()));
        }
        Path jar = Path.of(PublicKeyCredential.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> bound = new HashSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith("com/webauthn4j/data/")
                            || name.startsWith("com/webauthn4j/converter/jackson/"))
                    .filter(name -> name.endsWith(".class") && !name.matches(".*\\$[0-9]+.*"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .forEach(bound::add);
        }
        assertThat(listed).as("regenerate " + WEBAUTHN4J_CONFIG + " from " + jar.getFileName())
                .containsExactlyInAnyOrderElementsOf(bound);
    }

    private static Set<Class<?>> irisTypesIn(Type type) {
        Set<Class<?>> found = new HashSet<>();
        Deque<Type> todo = new ArrayDeque<>(List.of(type));
        while (!todo.isEmpty()) {
            Type next = todo.pop();
            if (next instanceof ParameterizedType parameterized) {
                todo.push(parameterized.getRawType());
                todo.addAll(Arrays.asList(parameterized.getActualTypeArguments()));
            } else if (next instanceof Class<?> plain && plain.getName().startsWith("dev.iris.")) {
                found.add(plain);
            }
        }
        return found;
    }

    private static List<Class<?>> irisClasses() throws IOException {
        Path root = Paths.get("target", "classes");
        try (Stream<Path> files = Files.walk(root.resolve("dev/iris"))) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .map(file -> root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(name -> !name.contains("$$"))
                    .map(NativeReflectionTest::load)
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeReflectionTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name, e);
        }
    }
}
