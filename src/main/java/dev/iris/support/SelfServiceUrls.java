package dev.iris.support;

import dev.iris.config.IrisConfig;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The URLs Iris sends browsers to: its self-service endpoints ({@code iris.public-url}) and UI pages. */
@Singleton
public class SelfServiceUrls {

    private final String publicUrl;
    private final String uiBaseUrl;

    public SelfServiceUrls(IrisConfig config) {
        this.publicUrl = config.publicUrl();
        this.uiBaseUrl = config.uiBaseUrl();
    }

    /** The second-factor step of a login ({@code aal=aal2}); {@code returnTo} may be null. */
    public String secondFactorLogin(String returnTo) {
        String base = publicUrl + "/self-service/login/browser?aal=aal2";
        return returnTo == null ? base : base + "&return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
    }

    /** A fresh login for a session too old for settings, back to the settings page after. */
    public String refreshLogin() {
        return publicUrl + "/self-service/login/browser?refresh=true&return_to="
                + URLEncoder.encode(uiBaseUrl + "/settings", StandardCharsets.UTF_8);
    }

    /** Where a flow's form posts go: {@code /self-service/<path>?flow=<id>}. */
    public String action(String path, UUID flowId) {
        return publicUrl + "/self-service/" + path + "?flow=" + flowId;
    }

    /** A flow's page in the UI: {@code <ui>/<path>?flow=<id>}. */
    public URI page(String path, UUID flowId) {
        return URI.create(uiBaseUrl + "/" + path + "?flow=" + flowId);
    }

    /** A UI page, e.g. {@code login} or {@code error?id=…}. */
    public String ui(String pathAndQuery) {
        return uiBaseUrl + "/" + pathAndQuery;
    }
}
