package dev.iris.method.lookupsecret;

import dev.iris.identity.Identity;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.SettingsMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Backup codes in settings: {@code lookup_secret_regenerate} shows a new set (kept sealed in the flow, nothing
 * stored), {@code lookup_secret_confirm} stores it in place of the old one, {@code lookup_secret_disable} removes
 * them all.
 */
@Singleton
public class LookupSecretSettings implements SettingsMethod {

    private final LookupSecretMethod lookup;

    public LookupSecretSettings(LookupSecretMethod lookup) {
        this.lookup = lookup;
    }

    @Override
    public String id() {
        return LookupSecretMethod.ID;
    }

    @Override
    public int position() {
        return 20;
    }

    @Override
    public Uni<String> offer(Identity identity) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<List<UiNode>> nodes(Flow flow, Identity identity) {
        String shown = flow.pending(LookupSecretMethod.ID);
        return lookup.unusedCount(identity.id).map(unused -> {
            List<UiNode> nodes = new ArrayList<>();
            if (shown != null) {
                List<String> codes = lookup.open(shown);
                nodes.add(UiNode.text(LookupSecretMethod.ID, "lookup_secret_codes",
                        new UiText(1050015, "info", String.join(", ", codes), Map.of("secrets", codes)),
                        UiText.label(1050010, "These are your back up recovery codes. Please keep them in a safe "
                                + "place!")));
                nodes.add(UiNode.input(LookupSecretMethod.ID, "lookup_secret_confirm", "submit", "true",
                        UiText.label(1050011, "Confirm backup recovery codes")));
                return nodes;
            }
            nodes.add(UiNode.input(LookupSecretMethod.ID, "lookup_secret_regenerate", "submit", "true",
                    UiText.label(1050008, "Generate new backup recovery codes")));
            if (unused > 0) {
                nodes.add(UiNode.input(LookupSecretMethod.ID, "lookup_secret_disable", "submit", "true",
                        UiText.label(1050016, "Disable this method")));
            }
            return nodes;
        });
    }

    @Override
    public Uni<Change> submit(Flow flow, Submission submission, Identity identity) {
        String shown = flow.pending(LookupSecretMethod.ID);
        if (submission.flag("lookup_secret_regenerate")) {
            return Uni.createFrom().item(new Change.Showing(lookup.newSealedSet()));
        }
        if (submission.flag("lookup_secret_confirm") && shown != null) {
            return lookup.replace(identity.id, shown).replaceWith(new Change.Saved(LookupSecretMethod.ID, null));
        }
        if (submission.flag("lookup_secret_disable")) {
            return lookup.disable(identity.id).replaceWith(new Change.Saved(null, null));
        }
        return Uni.createFrom().item(new Change.Refused(FlowKind.SETTINGS.noStrategy(), null, null));
    }
}
