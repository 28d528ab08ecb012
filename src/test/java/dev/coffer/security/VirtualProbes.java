package dev.coffer.security;

import static dev.coffer.security.MatrixRun.invalid;
import static dev.coffer.security.MatrixRun.refuse;

import dev.coffer.security.MatrixOracle.Who;
import dev.coffer.security.MatrixRun.Expect;
import dev.coffer.security.MatrixSetup.Cred;
import dev.coffer.security.MatrixWorld.Repo;
import dev.coffer.testing.Http;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * API.md §9 reads through the world's virtual repository: {@code r} on the virtual repository
 * (admission), then the first member in order that holds the file and that the caller may read
 * seen through the virtual repository ({@link MatrixOracle#mayThrough}); none: 404.
 */
final class VirtualProbes {
    private VirtualProbes() {}

    static void get(MatrixRun run, Cred c) {
        MatrixWorld w = run.world;
        String v = w.virtual.name;
        List<String> held = new ArrayList<>();
        for (String m : w.members) {
            Repo r = w.repos.get(m);
            if (r.exists) {
                held.addAll(r.files.keySet());
            }
        }
        Who who = c.who();
        // half the time a path the caller may read in the virtual repository, where members matter
        List<String> admitted =
                held.stream().filter(p -> run.oracle.may(who, v, p, 'r')).toList();
        String path = held.isEmpty() || run.rnd.nextInt(10) == 0
                ? w.randomFilePath()
                : !admitted.isEmpty() && run.rnd.nextBoolean() ? run.pick(admitted) : run.pick(held);
        boolean head = run.rnd.nextInt(4) == 0;
        Expect e = invalid(who);
        String answering = null;
        if (e == null) {
            if (!run.oracle.may(who, v, path, 'r')) {
                e = refuse(who, "r on the virtual repository is needed first");
            } else {
                for (String m : w.members) {
                    if (run.oracle.isFile(m, path) && run.oracle.mayThrough(who, v, m, path, 'r')) {
                        answering = m;
                        break;
                    }
                }
                e = answering == null
                        ? Expect.of(404, "no member that the caller may read through the virtual repository has it")
                        : Expect.of(200, "the first member in order that has it and that the caller may read");
            }
        }
        String url = "/repository/" + v + "/" + path;
        Http.Response r = head ? c.http(run.rnd).head(url) : c.http(run.rnd).get(url);
        String req = (head ? "HEAD " : "GET ") + url;
        String family = head ? "virtual HEAD file" : "virtual GET file";
        if (run.judge(family, c, req, r, e) && e.status() == 200) {
            String content = w.repos.get(answering).files.get(path).content;
            String want = head ? String.valueOf(content.getBytes(StandardCharsets.UTF_8).length) : content;
            String got = head ? r.header("Content-Length") : r.body();
            if (!want.equals(got)) {
                run.wrong(family, head ? "Content-Length" : "body (from " + answering + ")", c, req, want, got);
            }
        }
    }
}
