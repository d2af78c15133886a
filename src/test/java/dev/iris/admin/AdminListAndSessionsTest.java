package dev.iris.admin;

import dev.iris.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class AdminListAndSessionsTest {

    private static final Pattern NEXT = Pattern.compile("<[^>]*(/admin/identities\\?[^>]*)>; rel=\"next\"");

    private final Api api = Api.local();

    @Test
    void pagesOfTenSeeEveryIdentityExactlyOnce() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            created.add(api.createIdentity(Api.uniqueEmail()));
        }
        List<String> seen = new ArrayList<>();
        String next = "/admin/identities?page_size=10";
        int pages = 0;
        while (next != null) {
            Response page = api.admin().get(next);
            page.then().statusCode(200);
            List<String> ids = page.path("id");
            assertThat(ids).hasSizeLessThanOrEqualTo(10);
            seen.addAll(ids);
            pages++;
            Matcher link = NEXT.matcher(page.header("Link"));
            next = link.find() ? link.group(1) : null;
        }
        assertThat(seen).doesNotHaveDuplicates().containsAll(created);
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void filterByCredentialsIdentifier() {
        String email = Api.uniqueEmail();
        String id = api.createIdentity(email);
        api.admin().queryParam("credentials_identifier", email.toUpperCase()).get("/admin/identities").then()
                .statusCode(200).body("$", hasSize(1)).body("[0].id", equalTo(id));
        api.admin().queryParam("credentials_identifier", Api.uniqueEmail()).get("/admin/identities").then()
                .statusCode(200).body("$", hasSize(0));
    }

    @Test
    void badPagingParametersAre400() {
        api.admin().queryParam("page_size", "0").get("/admin/identities").then().statusCode(400);
        api.admin().queryParam("page_size", "abc").get("/admin/identities").then().statusCode(400);
        api.admin().queryParam("page_size", "100000").get("/admin/identities").then().statusCode(400);
        api.admin().queryParam("page_token", "garbage").get("/admin/identities").then().statusCode(400);
    }

    @Test
    void listAndRevokeAnIdentitysSessions() {
        String email = Api.uniqueEmail();
        String id = api.createIdentity(email);
        String first = api.signIn(email);
        String second = api.signIn(email);
        String firstId = api.whoami(first).path("id");

        api.admin().get("/admin/identities/" + id + "/sessions").then().statusCode(200).body("$", hasSize(2));
        api.admin().get("/admin/sessions/" + firstId).then().statusCode(200).body("identity.id", equalTo(id));
        api.admin().delete("/admin/sessions/" + firstId).then().statusCode(204);
        api.whoami(first).then().statusCode(401);
        api.admin().get("/admin/sessions/" + firstId).then().statusCode(200).body("active", equalTo(false));

        api.admin().delete("/admin/identities/" + id + "/sessions").then().statusCode(204);
        api.whoami(second).then().statusCode(401);
        api.admin().get("/admin/sessions/" + UUID.randomUUID()).then().statusCode(404);
        api.admin().delete("/admin/sessions/" + UUID.randomUUID()).then().statusCode(404);
        api.admin().get("/admin/identities/" + UUID.randomUUID() + "/sessions").then().statusCode(404);
        api.admin().get("/admin/sessions/nope").then().statusCode(400);
    }
}
