package dev.coffer.http;

import java.util.Optional;

/** Single byte ranges (RFC 9110). Several ranges are answered with the whole file, which the RFC allows. */
final class Ranges {
    private Ranges() {}

    /**
     * @return {first, last} inclusive; empty to ignore the header and send everything; null when
     *     the range cannot be satisfied (416)
     */
    static Optional<long[]> parse(String header, long size) {
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return Optional.empty();
                }
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return null;
                }
                return Optional.of(new long[] {Math.max(0, size - suffix), size - 1});
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || (!b.isEmpty() && Long.parseLong(b) < first)) {
                return Optional.empty();
            }
            if (first >= size) {
                return null;
            }
            return Optional.of(new long[] {first, last});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
