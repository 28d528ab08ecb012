package dev.coffer.common;

/**
 * A log line that writes itself when the log writer gets to it: a request hands over the few
 * values it knows and the writer formats them into one reused buffer, so a busy server does not
 * build (and copy twice more) a String per request, the largest part of what a small download
 * allocated (issue 17).
 */
@FunctionalInterface
public interface LogLine {
    /** Appends the line, without its line end, to {@code into}. */
    void writeTo(StringBuilder into);
}
