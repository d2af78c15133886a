package dev.iris.selfservice.registration;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Map;

/**
 * The JSON body of {@code POST /self-service/registration}: {@code {method:"code", traits:{email}}} sends,
 * adding {@code code} redeems, adding {@code resend:"code"} resends.
 *
 * <p>Documents the body in the OpenAPI document; the body itself is read by {@code http.JsonBody}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistrationSubmission(String method, Map<String, Object> traits, String code, String resend,
                                     String csrfToken) {
}
