package dev.iris.session;

/** Where a request came from, recorded on the session's device entry. */
public record ClientInfo(String ipAddress, String userAgent) {

    private static final int MAX_USER_AGENT = 512;

    public static ClientInfo of(String ipAddress, String userAgent) {
        String ua = userAgent == null ? null
                : userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
        return new ClientInfo(ipAddress, ua);
    }
}
