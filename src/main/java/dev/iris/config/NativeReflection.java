package dev.iris.config;

import dev.iris.admin.AdminIdentityResource;
import dev.iris.dev.DevMailboxResource;
import dev.iris.flow.Flow;
import dev.iris.flow.FlowKind;
import dev.iris.flow.FlowState;
import dev.iris.flow.FlowType;
import dev.iris.flow.FlowView;
import dev.iris.flow.LoginSubmission;
import dev.iris.flow.RegistrationSubmission;
import dev.iris.flow.SettingsSubmission;
import dev.iris.flow.UiNode;
import dev.iris.flow.UiText;
import dev.iris.identity.IdentityView;
import dev.iris.mail.MailPayload;
import dev.iris.mail.MailTemplate;
import dev.iris.selfservice.LogoutResource;
import dev.iris.session.SessionView;
import dev.iris.support.RawJson;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For the native image: every type Jackson reads or writes, including those serialised by hand (flows kept in
 * Redis, the rendered session JSON in the cache, mail payloads in the outbox) where Quarkus cannot see them.
 * {@code NativeReflectionTest} fails when a record or enum is neither listed here nor declared in-memory only.
 */
@RegisterForReflection(targets = {
        Flow.class, FlowKind.class, FlowType.class, FlowState.class, UiText.class, UiNode.class,
        FlowView.class, FlowView.Ui.class,
        LoginSubmission.class, RegistrationSubmission.class, SettingsSubmission.class,
        IdentityView.class, IdentityView.VerifiableAddress.class,
        SessionView.class, SessionView.AuthMethod.class, SessionView.Device.class,
        MailPayload.class, MailTemplate.class,
        AdminIdentityResource.CreateIdentity.class, LogoutResource.LogoutBody.class, DevMailboxResource.Message.class,
        RawJson.class, RawJson.Writer.class
})
public final class NativeReflection {

    private NativeReflection() {
    }
}
