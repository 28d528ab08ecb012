package dev.coffer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.coffer.admission.Requirement;
import dev.coffer.audit.AuditEvent;
import dev.coffer.audit.AuditLog;
import dev.coffer.audit.AuditQuery;
import dev.coffer.audit.StoredEvent;
import dev.coffer.common.CofferException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * API.md §6: the audit trail for administrators, newest first, filtered by time, user and outcome,
 * paged with {@code before=<id>}: {@code {"events": [...], "next": "/api/audit?...&before=123"}},
 * where {@code next} is null on the last page.
 */
public final class AuditRoutes {
    private final AuditLog audit;

    public AuditRoutes(AuditLog audit) {
        this.audit = Objects.requireNonNull(audit);
    }

    public List<Route> routes() {
        return List.of(new Route(HandlerType.GET, "/api/audit", new Requirement.Admin(), this::list));
    }

    private void list(Context ctx, Route.Request r) {
        FormOrJson.queryOnce(ctx);
        Long since = time(ctx, "since");
        Long until = time(ctx, "until");
        String username = blankToNull(ctx.queryParam("username"));
        String outcome = blankToNull(ctx.queryParam("outcome"));
        if (outcome != null && !AuditEvent.isOutcome(outcome)) {
            throw CofferException.invalid(
                    "parameter_invalid", "outcome must be one of success, allowed, denied, failed");
        }
        int limit = (int) number(ctx, "limit", AuditQuery.DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT);
        String beforeParam = blankToNull(ctx.queryParam("before"));
        Long before = beforeParam == null ? null : number(ctx, "before", 0, 1, Long.MAX_VALUE);
        // one more than asked tells whether there is a next page
        List<StoredEvent> found = audit.search(new AuditQuery(since, until, username, outcome, before, limit + 1));
        boolean more = found.size() > limit;
        List<StoredEvent> page = more ? found.subList(0, limit) : found;
        ObjectNode o = Json.object();
        ArrayNode events = o.putArray("events");
        page.forEach(e -> events.add(json(e)));
        if (more) {
            Map<String, String> q = new LinkedHashMap<>();
            putIf(q, "since", ctx.queryParam("since"));
            putIf(q, "until", ctx.queryParam("until"));
            putIf(q, "username", username);
            putIf(q, "outcome", outcome);
            q.put("limit", String.valueOf(limit));
            q.put("before", String.valueOf(page.get(page.size() - 1).id()));
            StringBuilder next = new StringBuilder("/api/audit?");
            q.forEach((k, v) -> next.append(next.charAt(next.length() - 1) == '?' ? "" : "&")
                    .append(k)
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            o.put("next", next.toString());
        } else {
            o.putNull("next");
        }
        Json.send(ctx, 200, o);
    }

    static ObjectNode json(StoredEvent s) {
        AuditEvent e = s.event();
        ObjectNode o = Json.object();
        o.put("id", s.id());
        o.put("time", Json.time(e.time()));
        o.put("username", e.username());
        o.put("authenticatedBy", e.authenticatedBy());
        o.put("credentialId", e.credentialId());
        o.put("action", e.action());
        o.put("repo", e.repo());
        o.put("path", e.path());
        o.put("outcome", e.outcome());
        o.put("status", e.status());
        o.put("ip", e.ip());
        o.put("userAgent", e.userAgent());
        o.set("change", change(e.change()));
        return o;
    }

    /** The changed settings as JSON ({@code null} for an event that changed none). */
    private static JsonNode change(String text) {
        if (text == null) {
            return NullNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text); // shown as stored, never lost
        }
    }

    private static void putIf(Map<String, String> q, String key, String value) {
        if (value != null && !value.isBlank()) {
            q.put(key, value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** RFC 3339, e.g. 2030-01-31T00:00:00Z or with an offset, within bounds; a '+' that arrived as a space is restored. */
    private static Long time(Context ctx, String name) {
        String v = blankToNull(ctx.queryParam(name));
        if (v == null) {
            return null;
        }
        return UserTimes.parse(name, v.replace(' ', '+'), "parameter_invalid");
    }

    private static long number(Context ctx, String name, long dflt, long min, long max) {
        String v = blankToNull(ctx.queryParam(name));
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw CofferException.invalid(
                    "parameter_invalid",
                    name + " must be a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max));
        }
    }
}
