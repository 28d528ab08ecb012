package dev.coffer.common;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validated, normalised path inside a repository: a list of segments, compared segment by
 * segment and case-sensitively. The very same value is what authorization checks and what storage
 * uses, so there is no second interpretation of a path anywhere (API.md §7). The root of a
 * repository is the path with no segments.
 */
public final class ArtifactPath implements Comparable<ArtifactPath> {
    public static final int MAX_SEGMENT_BYTES = 255;
    public static final int MAX_PATH_BYTES = 1024;
    public static final ArtifactPath ROOT = new ArtifactPath(List.of());

    private final List<String> segments;
    private final String joined;

    private ArtifactPath(List<String> segments) {
        this.segments = List.copyOf(segments);
        this.joined = String.join("/", this.segments);
    }

    /** Parses a decoded path such as {@code com/acme/lib.jar}; leading and trailing '/' are ignored. */
    public static ArtifactPath of(String decoded) {
        Objects.requireNonNull(decoded, "path");
        String p = decoded;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return ROOT;
        }
        List<String> out = new ArrayList<>();
        for (String s : p.split("/", -1)) {
            out.add(checkSegment(s));
        }
        return checkTotal(new ArtifactPath(out));
    }

    /**
     * Parses a percent-encoded request path (the raw URI after {@code /repository/{repo}/}).
     * Every segment is decoded exactly once; an encoded '/', a segment that still holds an encoded
     * byte after decoding (double encoding), '.', '..', backslashes and control characters are
     * rejected, so nothing can step outside the repository however it is spelled.
     */
    public static ArtifactPath parseEncoded(String raw) {
        Objects.requireNonNull(raw, "raw");
        String p = raw;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return ROOT;
        }
        List<String> out = new ArrayList<>();
        // by hand rather than split("/"): every download parses its path
        for (int from = 0; ; ) {
            int slash = p.indexOf('/', from);
            String decoded = percentDecode(slash < 0 ? p.substring(from) : p.substring(from, slash));
            if (decoded.indexOf('/') >= 0) {
                throw invalid("a path segment may not contain an encoded '/'");
            }
            out.add(checkSegment(decoded));
            if (slash < 0) {
                return checkTotal(new ArtifactPath(out));
            }
            from = slash + 1;
        }
    }

    private static String checkSegment(String s) {
        if (s.isEmpty()) {
            throw invalid("empty path segment");
        }
        if (s.equals(".") || s.equals("..")) {
            throw invalid("'.' and '..' segments are not allowed");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw invalid("control characters are not allowed in paths");
            }
            if (c == '\\') {
                throw invalid("backslashes are not allowed in paths");
            }
            if (c == '/') {
                throw invalid("empty path segment");
            }
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                throw invalid("double-encoded characters are not allowed in paths");
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c)
                        || i + 1 >= s.length()
                        || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw invalid("path is not valid UTF-8");
                }
                i++;
            }
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            throw invalid("a path segment is longer than " + MAX_SEGMENT_BYTES + " bytes");
        }
        return s;
    }

    private static ArtifactPath checkTotal(ArtifactPath p) {
        if (p.joined.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw invalid("the path is longer than " + MAX_PATH_BYTES + " bytes");
        }
        return p;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Strict RFC 3986 percent-decoding to UTF-8; malformed escapes or bytes are rejected. */
    public static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 4);
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    throw invalid("malformed percent-encoding in path");
                }
                bytes.put((byte) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int next = s.indexOf('%', i);
                int end = next < 0 ? s.length() : next;
                bytes.put(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        bytes.flip();
        CharsetDecoder dec = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = dec.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw invalid("path is not valid UTF-8");
        }
    }

    private static CofferException invalid(String message) {
        return CofferException.invalid("path_invalid", message);
    }

    public List<String> segments() {
        return segments;
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    public int depth() {
        return segments.size();
    }

    /** The last segment, or "" for the root. */
    public String name() {
        return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    }

    public ArtifactPath parent() {
        if (segments.isEmpty()) {
            return this;
        }
        return new ArtifactPath(segments.subList(0, segments.size() - 1));
    }

    public ArtifactPath child(String segment) {
        List<String> s = new ArrayList<>(segments);
        s.add(checkSegment(segment));
        return checkTotal(new ArtifactPath(s));
    }

    /** True when {@code other} equals this path or lies below it, compared segment by segment. */
    public boolean isSameOrAncestorOf(ArtifactPath other) {
        if (other.segments.size() < segments.size()) {
            return false;
        }
        return other.segments.subList(0, segments.size()).equals(segments);
    }

    @Override
    public String toString() {
        return joined;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactPath other && other.joined.equals(joined);
    }

    @Override
    public int hashCode() {
        return joined.hashCode();
    }

    @Override
    public int compareTo(ArtifactPath o) {
        return joined.compareTo(o.joined);
    }
}
