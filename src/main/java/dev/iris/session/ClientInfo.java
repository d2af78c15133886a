package dev.iris.session;

/**
 * Where a request came from: the canonical address (recorded on the session's device entry), the key abuse limits
 * count it under (the address, or its IPv6 network), and the user agent.
 */
public record ClientInfo(String ipAddress, String limitKey, String userAgent) {

    private static final int MAX_USER_AGENT = 512;

    public static ClientInfo of(String ipAddress, String limitKey, String userAgent) {
        String ua = userAgent == null ? null
                : userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
        return new ClientInfo(ipAddress, limitKey, ua);
    }
}
