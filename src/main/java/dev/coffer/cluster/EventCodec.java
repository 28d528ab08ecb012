package dev.coffer.cluster;

import dev.coffer.common.Invalidation.CredentialRevoked;
import dev.coffer.common.Invalidation.Event;
import dev.coffer.common.Invalidation.Everything;
import dev.coffer.common.Invalidation.FilesChanged;
import dev.coffer.common.Invalidation.LoginCleared;
import dev.coffer.common.Invalidation.LoginFailed;
import dev.coffer.common.Invalidation.LoginLocked;
import dev.coffer.common.Invalidation.PasswordChanged;
import dev.coffer.common.Invalidation.PermissionsChanged;
import dev.coffer.common.Invalidation.RepositoryChanged;
import dev.coffer.common.Invalidation.UserChanged;
import dev.coffer.common.Invalidation.UserDeleted;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An invalidation event as one line of text for another node: the sending node's id, the event's
 * name and its fields, each percent-encoded so a username typed into a failed login (which may
 * hold anything) cannot break the framing. Unknown or damaged lines decode to nothing.
 */
public final class EventCodec {
    private EventCodec() {}

    /** A decoded line: who sent it and what happened. */
    public record Message(String node, Event event) {}

    public static String encode(String node, Event event) {
        List<String> f = new ArrayList<>();
        f.add(node);
        if (event instanceof UserChanged e) {
            add(f, "user", e.username());
        } else if (event instanceof PasswordChanged e) {
            add(f, "password", e.username(), Long.toString(e.userId()));
        } else if (event instanceof UserDeleted e) {
            add(f, "deleted", e.username(), Long.toString(e.userId()));
        } else if (event instanceof CredentialRevoked e) {
            add(f, "revoked", e.secretHash());
        } else if (event instanceof FilesChanged e) {
            add(f, "files", e.repo(), e.path(), Boolean.toString(e.subtree()));
        } else if (event instanceof PermissionsChanged) {
            add(f, "permissions");
        } else if (event instanceof RepositoryChanged e) {
            add(f, "repository", e.name());
        } else if (event instanceof LoginLocked e) {
            add(f, "locked", e.subject(), Long.toString(e.until()));
        } else if (event instanceof LoginFailed e) {
            add(f, "failed", e.username());
        } else if (event instanceof LoginCleared e) {
            add(f, "cleared", e.username());
        } else if (event instanceof Everything) {
            add(f, "everything");
        } else {
            throw new IllegalArgumentException(
                    "no encoding for " + event.getClass().getSimpleName());
        }
        StringBuilder sb = new StringBuilder();
        for (String s : f) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static void add(List<String> f, String... values) {
        f.addAll(List.of(values));
    }

    public static Optional<Message> decode(String line) {
        try {
            String[] raw = line.split(" ", -1);
            String[] v = new String[raw.length];
            for (int i = 0; i < raw.length; i++) {
                v[i] = URLDecoder.decode(raw[i], StandardCharsets.UTF_8);
            }
            if (v.length < 2) {
                return Optional.empty();
            }
            Event e = switch (v[1] + "/" + (v.length - 2)) {
                case "user/1" -> new UserChanged(v[2]);
                case "password/2" -> new PasswordChanged(v[2], Long.parseLong(v[3]));
                case "deleted/2" -> new UserDeleted(v[2], Long.parseLong(v[3]));
                case "revoked/1" -> new CredentialRevoked(v[2]);
                case "permissions/0" -> new PermissionsChanged();
                case "files/3" -> new FilesChanged(v[2], v[3], Boolean.parseBoolean(v[4]));
                case "repository/1" -> new RepositoryChanged(v[2]);
                case "locked/2" -> new LoginLocked(v[2], Long.parseLong(v[3]));
                case "failed/1" -> new LoginFailed(v[2]);
                case "cleared/1" -> new LoginCleared(v[2]);
                case "everything/0" -> new Everything();
                default -> null;
            };
            return e == null ? Optional.empty() : Optional.of(new Message(v[0], e));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
