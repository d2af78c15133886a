package dev.iris.ratelimit;

import dev.iris.config.IrisConfig;
import dev.iris.session.ClientInfo;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the client is, for limits and session devices. The socket peer, unless the peer is a trusted proxy
 * ({@code iris.http.trusted-proxies}); then the right-most {@code X-Forwarded-For} entry that is not itself
 * trusted. Headers from untrusted peers are ignored, so they cannot be forged to dodge a limit.
 */
@Singleton
public class ClientIpResolver {

    private final List<Cidr> trusted;

    @jakarta.inject.Inject
    public ClientIpResolver(IrisConfig config) {
        this(config.http().trustedProxies().orElse(List.of()));
    }

    ClientIpResolver(List<String> cidrs) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            if (!cidr.isBlank()) {
                parsed.add(Cidr.parse(cidr.strip()));
            }
        }
        this.trusted = List.copyOf(parsed);
    }

    public ClientInfo client(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return ClientInfo.of(resolve(peer, request.getHeader("X-Forwarded-For")), request.getHeader("User-Agent"));
    }

    String resolve(String peer, String forwardedFor) {
        if (peer == null || !isTrusted(peer) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!isLiteralIp(hop)) {
                return peer;
            }
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return hops[0].strip();
    }

    private boolean isTrusted(String ip) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLiteralIp(String value) {
        return !value.isEmpty() && value.length() <= 45 && value.matches("[0-9a-fA-F:.]+") && Cidr.bytes(value) != null;
    }

    /** An address block such as {@code 10.0.0.0/8} or {@code ::1/128}. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            byte[] address = bytes(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("iris.http.trusted-proxies: not an IP block: " + text);
            }
            int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("iris.http.trusted-proxies: bad prefix in " + text);
            }
            return new Cidr(address, prefix);
        }

        boolean contains(String ip) {
            byte[] candidate = bytes(ip);
            if (candidate == null || candidate.length != network.length) {
                return false;
            }
            int shift = network.length * 8 - prefix;
            return new BigInteger(1, candidate).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        }

        /** The address bytes of an IP literal (never a DNS lookup), or null. */
        static byte[] bytes(String literal) {
            if (!literal.matches("[0-9a-fA-F:.]+")) {
                return null;
            }
            try {
                return InetAddress.getByName(literal).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
