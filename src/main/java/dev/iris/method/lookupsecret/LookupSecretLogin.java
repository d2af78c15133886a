package dev.iris.method.lookupsecret;

import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.SecondFactorMethod;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;

/** A backup code as the second factor of a login: each good once; the last one used may leave no second factor. */
@Singleton
public class LookupSecretLogin implements SecondFactorMethod {

    private final LookupSecretMethod lookup;

    public LookupSecretLogin(LookupSecretMethod lookup) {
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
    public String field() {
        return "lookup_secret";
    }

    @Override
    public List<UiNode> loginNodes() {
        return List.of(
                UiNode.input(LookupSecretMethod.ID, "lookup_secret", "text", null,
                        UiText.label(1010007, "Backup recovery code")).required().autocomplete("off"),
                UiNode.input(LookupSecretMethod.ID, "method", "submit", LookupSecretMethod.ID,
                        UiText.label(1010009, "Continue")));
    }

    @Override
    public Uni<Verdict> verify(Flow flow, String given) {
        return lookup.redeem(flow.identityId(), given).map(ok -> ok ? new Verdict.Accepted(true)
                : new Verdict.Refused(UiText.lookupInvalid()));
    }
}
