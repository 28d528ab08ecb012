package dev.coffer.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.security.MatrixWorld.FileState;
import dev.coffer.security.MatrixWorld.Repo;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the server's state with the administrator's key. After a request that may change
 * something, the probe compares what it reads here with what the oracle expected, and the model
 * then takes the server's state, so that one wrong answer is reported once instead of spoiling
 * every later cell of the world.
 */
final class MatrixSync {
    private MatrixSync() {}

    static Map<String, List<String>> props(JsonNode properties) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        properties.fields().forEachRemaining(e -> {
            List<String> vs = new ArrayList<>();
            e.getValue().forEach(v -> vs.add(v.asText()));
            out.put(e.getKey(), vs);
        });
        return out;
    }

    /** One file as the server has it now (null: absent); the model is set to it. */
    static FileState file(MatrixRun run, String repo, String path) {
        Repo r = run.world.repos.get(repo);
        Http.Response g = run.admin.get("/repository/" + repo + "/" + path);
        if (g.status() == 404) {
            r.files.remove(path);
            return null;
        }
        Fixtures.expect(g, "admin reads " + repo + "/" + path, 200);
        FileState f = new FileState(g.body());
        Http.Response info = Fixtures.expect(
                run.admin.get("/api/storage/" + repo + "/" + path), "admin storage info " + repo + "/" + path, 200);
        f.props = props(info.json().path("properties"));
        r.files.put(path, f);
        return f;
    }

    /**
     * Which files of the model are gone from the server now; they leave the model. {@code paths}
     * null: all of the repository (one walk of the storage API), else a HEAD of each of those.
     */
    static Map<String, FileState> removed(MatrixRun run, String repo, java.util.Collection<String> paths) {
        Repo r = run.world.repos.get(repo);
        Map<String, FileState> gone = new LinkedHashMap<>();
        TreeSet<String> present = new TreeSet<>();
        if (paths == null) {
            walk(run, repo, "", present);
        }
        for (String p : new ArrayList<>(paths == null ? r.files.keySet() : paths)) {
            if (!r.files.containsKey(p)) {
                continue;
            }
            boolean there;
            if (paths == null) {
                there = present.contains(p);
            } else {
                int status = run.admin.head("/repository/" + repo + "/" + p).status();
                if (status != 200 && status != 404) {
                    throw new AssertionError("admin HEAD " + repo + "/" + p + " answered " + status);
                }
                there = status == 200;
            }
            if (!there) {
                gone.put(p, r.files.remove(p));
            }
        }
        return gone;
    }

    /** Puts deleted files back (same content and properties), so the world keeps its shape. */
    static void restore(MatrixRun run, String repo, Map<String, FileState> gone) {
        Repo r = run.world.repos.get(repo);
        gone.forEach((p, f) -> {
            MatrixSetup.upload(run.admin, repo, p, f);
            r.files.put(p, f);
        });
    }

    /** At the end of a world: every repository holds exactly the model's files, with its content and properties. */
    static void compareAll(MatrixRun run) {
        for (Repo r : run.world.repos.values()) {
            if (!r.exists) {
                continue;
            }
            TreeSet<String> found = new TreeSet<>();
            walk(run, r.name, "", found);
            if (!found.equals(new TreeSet<>(r.files.keySet()))) {
                run.wrong(
                        "final state",
                        "files on the server differ from the model",
                        MatrixRun.CHECK,
                        "walk of /api/storage/" + r.name,
                        r.files.keySet().toString(),
                        found.toString());
                continue;
            }
            for (Map.Entry<String, FileState> e : r.files.entrySet()) {
                Http.Response info = run.admin.get("/api/storage/" + r.name + "/" + e.getKey());
                String sum = info.json().path("checksums").path("sha256").asText();
                Map<String, List<String>> props = props(info.json().path("properties"));
                if (!sum.equals(Digests.sha256(e.getValue().content)) || !props.equals(e.getValue().props)) {
                    run.wrong(
                            "final state",
                            "a file's content or properties differ from the model",
                            MatrixRun.CHECK,
                            "GET /api/storage/" + r.name + "/" + e.getKey(),
                            Digests.sha256(e.getValue().content) + " " + e.getValue().props,
                            sum + " " + props);
                }
            }
        }
    }

    private static void walk(MatrixRun run, String repo, String folder, TreeSet<String> out) {
        Http.Response r = Fixtures.expect(
                run.admin.get("/api/storage/" + repo + "/" + folder), "admin lists " + repo + "/" + folder, 200);
        for (JsonNode c : r.json().path("children")) {
            String p = (folder.isEmpty() ? "" : folder + "/") + c.path("name").asText();
            if (c.path("folder").asBoolean()) {
                walk(run, repo, p, out);
            } else {
                out.add(p);
            }
        }
    }
}
