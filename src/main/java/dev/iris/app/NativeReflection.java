package dev.iris.app;

import dev.iris.admin.AdminIdentityResource;
import dev.iris.admin.AdminWebAuthnResource;
import dev.iris.admin.AdminWebhookResource;
import dev.iris.dev.DevMailboxResource;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowState;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.login.LoginSubmission;
import dev.iris.selfservice.registration.RegistrationSubmission;
import dev.iris.selfservice.settings.SettingsSubmission;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import dev.iris.identity.IdentityView;
import dev.iris.mail.MailPayload;
import dev.iris.mail.MailTemplate;
import dev.iris.selfservice.sessions.LogoutResource;
import dev.iris.session.SessionView;
import dev.iris.support.RawJson;
import dev.iris.mail.MailMessages;
import dev.iris.selfservice.ui.UiMessages;
import dev.iris.web.PageMessages;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For the native image: every type Jackson reads or writes, including those serialised by hand (flows kept in
 * Redis, the rendered session JSON in the cache, mail payloads in the outbox) where Quarkus cannot see them.
 * {@code NativeReflectionTest} fails when a record or enum is neither listed here nor declared in-memory only.
 *
 * <p>webauthn4j (passkeys, security keys) binds its data model with Jackson and ships no native-image metadata; its
 * {@code com.webauthn4j.data} and {@code com.webauthn4j.converter.jackson} classes are listed in
 * {@code META-INF/native-image/dev.iris/iris/reflect-config.json}, which the native-image builder reads from the
 * class path ({@code NativeReflectionTest} keeps that list complete).
 */
@RegisterForReflection(targets = {
        Flow.class, FlowKind.class, FlowType.class, FlowState.class, UiText.class, UiNode.class,
        FlowView.class, FlowView.Ui.class,
        LoginSubmission.class, RegistrationSubmission.class, SettingsSubmission.class,
        IdentityView.class, IdentityView.VerifiableAddress.class,
        SessionView.class, SessionView.AuthMethod.class, SessionView.Device.class,
        MailPayload.class, MailTemplate.class,
        AdminIdentityResource.CreateIdentity.class, LogoutResource.LogoutBody.class, DevMailboxResource.Message.class,
        AdminWebAuthnResource.CredentialView.class, AdminWebhookResource.DeliveryView.class,
        RawJson.class, RawJson.Writer.class,
        // Message bundles: their methods' parameter names are read when a message is looked up by key.
        MailMessages.class, PageMessages.class, UiMessages.class
})
public final class NativeReflection {

    private NativeReflection() {
    }
}
