package dev.iris.http;

import dev.iris.config.IrisConfig;
import dev.iris.session.ClientInfo;
import dev.iris.support.Languages;
import io.netty.util.NetUtil;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Who the client is, for limits and session devices.
 *
 * <ul>
 *   <li>The socket peer, unless the peer is a trusted proxy ({@code iris.http.trusted-proxies}); then the right-most
 *       {@code X-Forwarded-For} entry that is not itself trusted. All header lines count, joined in order: a proxy
 *       that appends a line of its own (instead of extending the client's) must not leave the client's line as the
 *       one believed. Headers from untrusted peers are ignored, so they cannot be forged to dodge a limit; an entry
 *       that is not an IP literal stops the walk at the last trusted hop (never a DNS lookup).</li>
 *   <li>Addresses are canonical: one spelling per address (RFC 5952 for IPv6), IPv4-mapped IPv6
 *       ({@code ::ffff:192.0.2.7}) unmapped to IPv4, so spelling an address differently buys no fresh quota.</li>
 *   <li>Limits count an IPv6 client by its network ({@code iris.http.ipv6-limit-prefix}, default /64): one
 *       subscriber usually holds a whole /64 and could otherwise take a fresh quota per address. The session's
 *       device entry keeps the full address.</li>
 * </ul>
 */
@Singleton
public class ClientIpResolver {

    private final List<Cidr> trusted;
    private final int ipv6LimitPrefix;

    @jakarta.inject.Inject
    public ClientIpResolver(IrisConfig config) {
        this(config.http().trustedProxies().orElse(List.of()), config.http().ipv6LimitPrefix());
    }

    ClientIpResolver(List<String> cidrs, int ipv6LimitPrefix) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            if (!cidr.isBlank()) {
                parsed.add(Cidr.parse(cidr.strip()));
            }
        }
        this.trusted = List.copyOf(parsed);
        this.ipv6LimitPrefix = ipv6LimitPrefix;
    }

    public ClientInfo client(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String ip = resolve(peer, request.headers().getAll("X-Forwarded-For"));
        return ClientInfo.of(ip, limitKey(ip), request.getHeader("User-Agent"),
                Languages.chosen(cookie(request, Languages.COOKIE), request.getHeader("Accept-Language"))
                        .orElse(null));
    }

    private static String cookie(HttpServerRequest request, String name) {
        Cookie cookie = request.getCookie(name);
        return cookie == null ? null : cookie.getValue();
    }

    /** The client's canonical address, given the socket peer and every {@code X-Forwarded-For} line in order. */
    String resolve(String peer, List<String> forwardedFor) {
        byte[] peerBytes = peer == null ? null : literal(peer);
        if (peerBytes == null) {
            return peer;
        }
        byte[] client = peerBytes;
        List<String> hops = forwardedFor == null ? List.of() : forwardedFor;
        for (int line = hops.size() - 1; line >= 0 && isTrusted(client); line--) {
            String[] entries = hops.get(line).split(",", -1);
            for (int i = entries.length - 1; i >= 0 && isTrusted(client); i--) {
                byte[] hop = literal(entries[i].strip());
                if (hop == null) {
                    return canonical(client);
                }
                client = hop;
            }
        }
        return canonical(client);
    }

    /** The key limits count this client under: the address itself for IPv4, its network for IPv6. */
    String limitKey(String ip) {
        byte[] bytes = ip == null ? null : literal(ip);
        if (bytes == null || bytes.length == 4 || ipv6LimitPrefix >= 128) {
            return ip;
        }
        byte[] network = Arrays.copyOf(bytes, 16);
        for (int bit = ipv6LimitPrefix; bit < 128; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return canonical(network) + "/" + ipv6LimitPrefix;
    }

    private boolean isTrusted(byte[] ip) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private static String canonical(byte[] address) {
        try {
            return NetUtil.toAddressString(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.length + " bytes", e);
        }
    }

    /**
     * The bytes of an IP literal (4 for IPv4, including IPv4-mapped IPv6; 16 for IPv6), or null for anything else
     * (host names, ports, zone ids, garbage). Parsed by Netty, never resolved.
     */
    static byte[] literal(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null || (bytes.length != 4 && bytes.length != 16) || text.indexOf('%') >= 0) {
            return null;
        }
        return isIpv4Mapped(bytes) ? Arrays.copyOfRange(bytes, 12, 16) : bytes;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An address block such as {@code 10.0.0.0/8} or {@code ::1/128}. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("iris.http.trusted-proxies: not an IP block: " + text);
            }
            int prefix;
            try {
                prefix = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("iris.http.trusted-proxies: bad prefix in " + text);
            }
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("iris.http.trusted-proxies: bad prefix in " + text);
            }
            return new Cidr(address, prefix);
        }

        boolean contains(byte[] candidate) {
            if (candidate.length != network.length) {
                return false;
            }
            int shift = network.length * 8 - prefix;
            return new BigInteger(1, candidate).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        }
    }
}
