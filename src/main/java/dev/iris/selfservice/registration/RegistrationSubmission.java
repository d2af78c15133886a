package dev.iris.selfservice.registration;

import dev.iris.selfservice.flow.CodeSubmission;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Map;

/**
 * The body of {@code POST /self-service/registration}: {@code {method:"code", traits:{email}}} sends,
 * adding {@code code} redeems, adding {@code resend:"code"} resends.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistrationSubmission(String method, Map<String, Object> traits, String code, String resend,
                                     String csrfToken) {

    public CodeSubmission toCode() {
        Object email = traits == null ? null : traits.get("email");
        if (email != null && !(email instanceof String)) {
            throw dev.iris.support.ApiException.badRequest("traits.email must be a string.");
        }
        return new CodeSubmission(method, (String) email, code, resend);
    }
}
