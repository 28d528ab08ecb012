package dev.coffer.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.audit.AuditEvent;
import dev.coffer.common.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of audited reads that share a username and an outcome: one JSON text for up to
 * {@link JdbcAuditStore#MAX_READS_PER_ROW} events, held in one row of {@code audit_events}. A row
 * per read cost the server more CPU than the rest of a small download, most of it in the
 * database's own insert; one row per batch costs a fraction of a microsecond per read.
 *
 * <p>Format: {@code {"s":[strings],"e":[[dt,by,credential,action,repo,path,status,ip,agent],…]}}
 * where {@code dt} is the event's time minus the row's {@code event_time} and each text field is an
 * index into {@code s} (-1 for null), so a client's address, agent and credential are written once.
 */
final class AuditReadBatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditReadBatch() {}

    /** The events (in order) as text; times relative to {@code base}. */
    static String encode(List<AuditEvent> events, long base) {
        Map<String, Integer> index = new HashMap<>();
        List<String> strings = new ArrayList<>();
        StringBuilder rows = new StringBuilder(events.size() * 24);
        for (AuditEvent e : events) {
            rows.append(rows.isEmpty() ? "[" : ",[").append(e.time() - base);
            for (String s : new String[] {e.authenticatedBy(), e.credentialId(), e.action(), e.repo(), e.path()}) {
                rows.append(',').append(ref(s, index, strings));
            }
            rows.append(',').append(e.status());
            rows.append(',').append(ref(e.ip(), index, strings));
            rows.append(',').append(ref(e.userAgent(), index, strings)).append(']');
        }
        StringBuilder sb = new StringBuilder(rows.length() + strings.size() * 32 + 16).append("{\"s\":[");
        for (int i = 0; i < strings.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonText.quote(sb, strings.get(i));
        }
        return sb.append("],\"e\":[").append(rows).append("]}").toString();
    }

    private static int ref(String s, Map<String, Integer> index, List<String> strings) {
        if (s == null) {
            return -1;
        }
        Integer i = index.get(s);
        if (i == null) {
            i = strings.size();
            strings.add(s);
            index.put(s, i);
        }
        return i;
    }

    /** The events of a row, in the order they were encoded. */
    static List<AuditEvent> decode(String text, long base, String username, String outcome) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("an audit row's read batch is not readable", e);
        }
        JsonNode s = root.path("s");
        String[] strings = new String[s.size()];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = s.get(i).textValue();
        }
        JsonNode rows = root.path("e");
        List<AuditEvent> out = new ArrayList<>(rows.size());
        for (JsonNode r : rows) {
            out.add(new AuditEvent(
                    base + r.get(0).longValue(),
                    username,
                    text(strings, r.get(1)),
                    text(strings, r.get(2)),
                    text(strings, r.get(3)),
                    text(strings, r.get(4)),
                    text(strings, r.get(5)),
                    outcome,
                    r.get(6).intValue(),
                    text(strings, r.get(7)),
                    text(strings, r.get(8))));
        }
        return out;
    }

    private static String text(String[] strings, JsonNode ref) {
        int i = ref.intValue();
        return i < 0 ? null : strings[i];
    }
}
