package dev.iris.session;

/**
 * Where a request came from: the canonical address (recorded on the session's device entry), the key abuse limits
 * count it under (the address, or its IPv6 network), the user agent, and the language it asked for (one of
 * {@code support.Languages}, from Accept-Language; null when it named none of ours).
 */
public record ClientInfo(String ipAddress, String limitKey, String userAgent, String language) {

    private static final int MAX_USER_AGENT = 512;

    public static ClientInfo of(String ipAddress, String limitKey, String userAgent) {
        return of(ipAddress, limitKey, userAgent, null);
    }

    public static ClientInfo of(String ipAddress, String limitKey, String userAgent, String language) {
        String ua = userAgent == null ? null
                : userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
        return new ClientInfo(ipAddress, limitKey, ua, language);
    }
}
