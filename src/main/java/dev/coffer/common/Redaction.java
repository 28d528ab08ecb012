package dev.coffer.common;

import dev.coffer.token.SecretKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place that decides whether text holds one of our secrets, for everything Coffer writes
 * down: the access log, the server log, audit records, error messages, and names that would be
 * stored (a user name, a failed login's user name, a description).
 *
 * <p>It looks at decoded text: a client may percent-encode any character of a secret once or
 * several times ({@code cofst%5F…}, {@code cofst%255F…}). Each run of characters that an encoded
 * secret can consist of (letters, digits, {@code %} and the prefixes' own characters) is searched
 * as sent and after each round of decoding, at most {@link #MAX_DECODINGS} rounds; a run still
 * encoded after that is masked as well. A secret is found wherever it starts, also glued to other
 * word characters ({@code x_cofak_…}). The prefixes come from {@link SecretKind}, so a new kind of
 * secret is masked without a change here.
 */
public final class Redaction {
    static final String MASK = "[redacted]";
    static final int MAX_DECODINGS = 8;

    private static final List<String> PREFIXES =
            Arrays.stream(SecretKind.values()).map(SecretKind::prefix).toList();
    /**
     * Any prefix, each of its characters as it is or percent-encoded at any depth ({@code _},
     * {@code %5F}, {@code %255f}...), one group per prefix. Matching the encoded forms in the text as
     * sent finds a secret even where decoding would hide it: {@code %acofat%5F…} decodes to a
     * replacement character and "ofat_…", yet holds the whole secret for anyone who reads it.
     */
    private static final Pattern PREFIX = Pattern.compile(
            PREFIXES.stream().map(Redaction::encodedAnyDepth).collect(Collectors.joining(")|(", "(", ")")));
    /** A prefix and the start of a body (base62, maybe encoded). */
    private static final Pattern SECRET = Pattern.compile("(?:" + PREFIX.pattern() + ")(?:[0-9A-Za-z]|%)");
    /** What every prefix starts with ("cof"): text without it and without '%' holds no secret (the fast path). */
    private static final String COMMON = commonStart(PREFIXES);
    /** The characters, besides ASCII letters and digits, that a prefix consists of ('_'). */
    private static final String PREFIX_MARKS = PREFIXES.stream()
            .flatMap(p -> p.chars().mapToObj(c -> (char) c))
            .filter(c -> !isAsciiAlnum(c))
            .distinct()
            .map(String::valueOf)
            .collect(Collectors.joining());

    private Redaction() {}

    /**
     * The text with every run that holds a secret replaced by the secret's prefix and {@value #MASK}
     * (a run: a maximal stretch of letters, digits, '%' and the prefixes' marks, so a path segment
     * or a word); other text is returned unchanged, as the same instance.
     */
    public static String secrets(String text) {
        if (text == null || !mayHold(text)) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        int n = text.length();
        // where the next '%' and the next "cof" are (n: none left): only runs holding one are
        // searched, so a batch of access log lines costs a scan, not a regex per word
        int percent = -1;
        int common = -1;
        while (i < n) {
            if (!inRun(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && inRun(text.charAt(i))) {
                i++;
            }
            if (percent < start) {
                int p = text.indexOf('%', start);
                percent = p < 0 ? n : p;
            }
            if (common < start) {
                int c = text.indexOf(COMMON, start);
                common = c < 0 ? n : c;
            }
            if (percent >= i && common >= i) {
                continue;
            }
            String masked = maskRun(text.substring(start, i));
            if (masked != null) {
                if (out == null) {
                    out = new StringBuilder(n + 16);
                }
                out.append(text, copied, start).append(masked);
                copied = i;
            }
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    /**
     * False when the text certainly holds no secret (no '%' and no common prefix), so a writer may
     * skip {@link #secrets} and its copy into a String; true means "ask {@link #secrets}".
     */
    public static boolean mayHoldSecret(StringBuilder text) {
        return text.indexOf("%") >= 0 || text.indexOf(COMMON) >= 0;
    }

    /** True when the text, decoded, holds a secret (or is encoded too deep to tell). */
    public static boolean containsSecret(String text) {
        return text != null && !secrets(text).equals(text);
    }

    /**
     * True when the text, decoded, holds any secret prefix at all, even without a body. A user name
     * like that is refused at creation, and a Basic user name like that is never taken for a user
     * (never looked up, counted or stored), so the two can never meet.
     */
    public static boolean secretShaped(String text) {
        if (text == null || !mayHold(text)) {
            return false;
        }
        String s = text;
        for (int round = 0; ; round++) {
            if (PREFIX.matcher(s).find()) {
                return true;
            }
            String next = decodeOnce(s);
            if (next.equals(s)) {
                return false;
            }
            if (round == MAX_DECODINGS) {
                return true;
            }
            s = next;
        }
    }

    /** The secret prefixes, for messages that tell a user which names are reserved. */
    public static List<String> prefixes() {
        return PREFIXES;
    }

    // ---- internals

    private static boolean mayHold(String text) {
        return text.indexOf('%') >= 0 || text.contains(COMMON);
    }

    private static boolean inRun(char c) {
        return isAsciiAlnum(c) || c == '%' || PREFIX_MARKS.indexOf(c) >= 0;
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /**
     * The mask for a run that holds a secret, or null when it holds none. The run is searched as
     * sent and after each round of decoding (a secret can show in the raw text only, as in
     * {@code %5cofak_…}, which decodes to a backslash and "ofak_…"), and masked whole: a partly
     * masked run could leave part of a secret beside the mask.
     */
    private static String maskRun(String run) {
        String s = run;
        for (int round = 0; ; round++) {
            Matcher m = SECRET.matcher(s);
            if (m.find()) {
                int k = 0;
                while (m.group(k + 1) == null) {
                    k++;
                }
                return PREFIXES.get(k) + MASK;
            }
            String next = decodeOnce(s);
            if (next.equals(s)) {
                return null;
            }
            if (round == MAX_DECODINGS) {
                return MASK; // still encoded: nobody encodes this deep by accident
            }
            s = next;
        }
    }

    /** One round of percent-decoding as UTF-8; malformed escapes stay as they are. */
    private static String decodeOnce(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hi = i + 2 < s.length() && c == '%' ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
            if (lo >= 0) {
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The regex of a word whose every character may also be percent-encoded, at any depth. */
    private static String encodedAnyDepth(String word) {
        StringBuilder re = new StringBuilder();
        word.codePoints().forEach(cp -> {
            StringBuilder escaped = new StringBuilder();
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                escaped.append("%(?:25)*(?i:")
                        .append(String.format("%02X", b & 0xff))
                        .append(')');
            }
            re.append("(?:")
                    .append(Pattern.quote(new String(Character.toChars(cp))))
                    .append('|')
                    .append(escaped)
                    .append(')');
        });
        return re.toString();
    }

    private static String commonStart(List<String> words) {
        String c = words.get(0);
        for (String w : words) {
            int k = 0;
            while (k < c.length() && k < w.length() && c.charAt(k) == w.charAt(k)) {
                k++;
            }
            c = c.substring(0, k);
        }
        return c;
    }
}
