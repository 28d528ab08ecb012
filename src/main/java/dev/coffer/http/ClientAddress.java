package dev.coffer.http;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the client is when Coffer runs behind load balancers: the direct peer, unless that peer is
 * one of the configured trusted proxies, in which case the nearest address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy. Without trusted proxies the header
 * is ignored, since any client could write it (and so dodge the per-address login lock or forge
 * the address in the audit log).
 */
public final class ClientAddress {
    private record Range(BigInteger network, BigInteger mask, int length) {
        boolean contains(byte[] address) {
            return address.length == length
                    && new BigInteger(1, address).and(mask).equals(network);
        }
    }

    private final List<Range> trusted;

    private ClientAddress(List<Range> trusted) {
        this.trusted = trusted;
    }

    public static final ClientAddress DIRECT = new ClientAddress(List.of());
    static final String FORWARDED_FOR = "X-Forwarded-For";

    /**
     * @param spec comma-separated IP addresses or CIDR ranges (e.g. {@code 10.0.0.0/8, ::1}); empty for none
     * @throws IllegalArgumentException naming the bad entry
     */
    public static ClientAddress trusting(String spec) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException(
                        "trusted.proxies: '" + entry + "' is not an IP address or CIDR range");
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("trusted.proxies: '" + entry + "' has a bad prefix length");
                }
            }
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(bits)
                    .subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            ranges.add(new Range(new BigInteger(1, address).and(mask), mask, address.length));
        }
        return new ClientAddress(List.copyOf(ranges));
    }

    /** The client's address for a Jetty request (its peer and its X-Forwarded-For). */
    public String resolve(org.eclipse.jetty.server.Request request) {
        String peer = org.eclipse.jetty.server.Request.getRemoteAddr(request);
        // the header only counts behind a trusted proxy: without any, skip looking for it
        return trusted.isEmpty()
                ? peer
                : resolve(
                        peer,
                        forwardedFor(java.util.Collections.enumeration(
                                request.getHeaders().getValuesList(FORWARDED_FOR))));
    }

    /**
     * Every X-Forwarded-For line, in order, as one list (null when there is none). Several lines
     * mean one list (RFC 9110, 5.3), and some proxies add a line of their own rather than append
     * to the client's: reading only the first line took the client's own claim for its address.
     */
    static String forwardedFor(java.util.Enumeration<String> lines) {
        if (lines == null || !lines.hasMoreElements()) {
            return null;
        }
        String first = lines.nextElement();
        if (!lines.hasMoreElements()) {
            return first;
        }
        StringBuilder all = new StringBuilder(first);
        while (lines.hasMoreElements()) {
            all.append(',').append(lines.nextElement());
        }
        return all.toString();
    }

    /** Is {@code peer} (an IP literal) one of the trusted proxies, whose X-Forwarded-* headers count? */
    public boolean trusts(String peer) {
        return !trusted.isEmpty() && isTrusted(peer);
    }

    /** The client's address for a request from {@code peer} carrying {@code forwardedFor} (may be null). */
    public String resolve(String peer, String forwardedFor) {
        if (trusted.isEmpty() || forwardedFor == null || !isTrusted(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        String candidate = peer;
        // right to left: each trusted hop vouches for the one before it
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (literal(hop) == null) {
                return candidate; // garbage: stop at the last address we could vouch for
            }
            candidate = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return candidate;
    }

    private boolean isTrusted(String address) {
        byte[] a = literal(address);
        if (a == null) {
            return false;
        }
        for (Range r : trusted) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an IP literal, never a DNS lookup; null for anything else. */
    private static byte[] literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        String v = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean ipv4 = v.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = v.indexOf(':') >= 0 && v.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        if (ipv4) {
            for (String octet : v.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null; // else InetAddress would take it for a host name and ask DNS
                }
            }
        }
        try {
            return InetAddress.getByName(v).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
