package dev.coffer.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.common.Invalidation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link RepositoryService#put(String, RepositoryService.Change, RepositoryService.Approval)}: the
 * approval decides on the repository as the write finds it, and a refusal changes nothing.
 */
class RepositoryServiceApprovalTest {

    private static final CofferException REFUSED = new CofferException(new Failure.Denied("forbidden", "no"));

    private final MapRepositoryStore store = new MapRepositoryStore();
    private final Invalidation invalidation = new Invalidation();
    private final List<Invalidation.Event> published = new ArrayList<>();
    private final RepositoryService service;

    RepositoryServiceApprovalTest() {
        invalidation.subscribe(published::add);
        service = new RepositoryService(store, () -> 1000, invalidation);
    }

    @Test
    void theApprovalSeesTheRepositoryAsTheWriteFindsIt() {
        service.put("libs", new RepositoryService.Change("d", false));
        // changed behind the service's back (another node, the CLI): the approval sees the store's value
        store.upsert(new Repository("libs", "d", true, 1, 1));
        AtomicReference<RepositoryDiff> seen = new AtomicReference<>();

        RepositoryService.Saved saved = service.put("libs", new RepositoryService.Change(null, true), seen::set);

        assertThat(seen.get().before().anonymousRead()).isTrue();
        assertThat(seen.get().widensExposure())
                .as("already public: nothing widens")
                .isFalse();
        assertThat(saved.diff()).isEqualTo(seen.get());
        assertThat(saved.created()).isFalse();
    }

    @Test
    void aRefusalChangesNothingAndTellsNoCache() {
        service.put("libs", new RepositoryService.Change("d", false));
        published.clear();

        Throwable t = catchThrowable(() -> service.put("libs", new RepositoryService.Change("new", true), diff -> {
            assertThat(diff.widensExposure()).isTrue();
            throw REFUSED;
        }));

        assertThat(t).isSameAs(REFUSED);
        assertThat(store.rows.get("libs").anonymousRead()).isFalse();
        assertThat(store.rows.get("libs").description()).isEqualTo("d");
        assertThat(service.find("libs").orElseThrow().anonymousRead()).isFalse();
        assertThat(published).isEmpty();
    }

    @Test
    void aRepositoryDeletedMeanwhileIsSeenAsACreation() {
        service.put("libs", new RepositoryService.Change("d", false));
        store.delete("libs"); // deleted by another node after the caller's first check
        AtomicReference<RepositoryDiff> seen = new AtomicReference<>();

        catchThrowable(() -> service.put("libs", new RepositoryService.Change("x", null), diff -> {
            seen.set(diff);
            throw REFUSED;
        }));

        assertThat(seen.get().created()).isTrue();
        assertThat(store.rows).doesNotContainKey("libs");
    }

    @Test
    void withoutAnApprovalEverythingGoesAsBefore() {
        RepositoryService.Saved created = service.put("libs", new RepositoryService.Change(null, true));
        assertThat(created.created()).isTrue();
        assertThat(created.diff().widensExposure()).isTrue();
        assertThat(store.rows.get("libs").anonymousRead()).isTrue();
    }
}
