package dev.iris.method.lookupsecret;

import dev.iris.identity.Identity;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.SecondFactorMethod;
import dev.iris.selfservice.flow.SettingsMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code lookup_secret} method (backup codes), as a second factor of a login — each code good once; the last
 * one used may leave no second factor — and in settings: {@code lookup_secret_regenerate} shows a new set (kept
 * sealed in the flow, nothing stored), {@code lookup_secret_confirm} stores it in place of the old one,
 * {@code lookup_secret_disable} removes them all.
 */
@Singleton
public class LookupSecretMethod implements SecondFactorMethod, SettingsMethod {

    public static final String ID = "lookup_secret";
    private static final int POSITION = 20;

    private final BackupCodes lookup;

    public LookupSecretMethod(BackupCodes lookup) {
        this.lookup = lookup;
    }

    @Override
    public String field() {
        return "lookup_secret";
    }

    /** Marks the flow when the identity has an unused backup code; only then is one asked for. */
    @Override
    public Uni<String> prepare(UUID identityId) {
        return lookup.unusedCount(identityId).map(unused -> unused > 0 ? "unused" : null);
    }

    @Override
    public List<UiNode> loginNodes(Flow flow) {
        if (flow.pending(ID) == null) {
            return List.of();
        }
        return List.of(
                UiNode.input(ID, "lookup_secret", "text", null,
                        UiText.label(1010007, "Backup recovery code")).required().autocomplete("off"),
                UiNode.input(ID, "method", "submit", ID,
                        UiText.label(1010010, "Use backup recovery code")));
    }

    @Override
    public Uni<Verdict> verify(Flow flow, String given) {
        return lookup.redeem(flow.identityId(), given).map(ok -> ok ? new Verdict.Accepted(true)
                : new Verdict.Refused(UiText.lookupInvalid()));
    }

    @Override
    public String id() {
        return ID;
    }

    /** Second among settings groups and second-factor prompts: after the authenticator app. */
    @Override
    public int position() {
        return POSITION;
    }

    @Override
    public Uni<String> offer(Identity identity) {
        return Uni.createFrom().nullItem();
    }

    /** Its flags imply it, without {@code method} (Kratos's {@code lookup/settings.go}: UIs post only the flag). */
    @Override
    public boolean claims(Submission submission) {
        return submission.names(ID) || submission.method() == null && (submission.flag("lookup_secret_regenerate")
                || submission.flag("lookup_secret_confirm") || submission.flag("lookup_secret_disable"));
    }

    @Override
    public Uni<List<UiNode>> nodes(Flow flow, Identity identity) {
        String shown = flow.pending(ID);
        return lookup.unusedCount(identity.id).map(unused -> {
            List<UiNode> nodes = new ArrayList<>();
            if (shown != null) {
                List<String> codes = lookup.open(shown);
                // As Kratos: each code a message of its own (1050009, the code in context.secret); none is used yet.
                List<UiText> secrets = codes.stream()
                        .map(code -> new UiText(1050009, "info", code, Map.of("secret", code))).toList();
                nodes.add(UiNode.text(ID, "lookup_secret_codes",
                        new UiText(1050015, "info", String.join(", ", codes), Map.of("secrets", secrets)),
                        UiText.label(1050010, "These are your back up recovery codes. Please keep them in a safe "
                                + "place!")));
                nodes.add(UiNode.input(ID, "lookup_secret_confirm", "submit", "true",
                        UiText.label(1050011, "Confirm backup recovery codes")));
                return nodes;
            }
            nodes.add(UiNode.input(ID, "lookup_secret_regenerate", "submit", "true",
                    UiText.label(1050008, "Generate new backup recovery codes")));
            if (unused > 0) {
                nodes.add(UiNode.input(ID, "lookup_secret_disable", "submit", "true",
                        UiText.label(1050016, "Disable this method")));
            }
            return nodes;
        });
    }

    @Override
    public Uni<Change> submit(Flow flow, Submission submission, Identity identity, SubmitContext context) {
        String shown = flow.pending(ID);
        if (submission.flag("lookup_secret_regenerate")) {
            return Uni.createFrom().item(new Change.Showing(lookup.newSealedSet()));
        }
        if (submission.flag("lookup_secret_confirm") && shown != null) {
            return lookup.replace(identity.id, shown).replaceWith(new Change.Saved(ID, null));
        }
        if (submission.flag("lookup_secret_disable")) {
            return lookup.disable(identity.id).replaceWith(new Change.Saved(null, null));
        }
        return Uni.createFrom().item(new Change.Refused(FlowKind.SETTINGS.noStrategy(), null, null));
    }
}
