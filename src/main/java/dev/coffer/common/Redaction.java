package dev.coffer.common;

import java.util.regex.Pattern;

/** Masks anything shaped like one of our secrets before text reaches a log or an error message. */
public final class Redaction {
    private static final Pattern SECRET = Pattern.compile("\\b(cof(?:ak|st|at|rt))_[0-9A-Za-z]+");

    private Redaction() {}

    public static String secrets(String text) {
        // every secret starts "cof": most text has none, and skips the regex (the access log
        // cleans several fields of every request)
        if (text == null || !text.contains("cof")) {
            return text;
        }
        return SECRET.matcher(text).replaceAll("$1_[redacted]");
    }
}
