package dev.iris.mail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MailRendererTest {

    @Test
    void joinsIndentedLinesWithSingleSpaces() {
        String html = "<p>\n    Hello,\r\n\n  <b>you</b>\n</p>\n";
        assertThat(MailRenderer.joinLines(html)).isEqualTo("<p> Hello, <b>you</b> </p>");
    }

    @Test
    void startsANewLineBeforeTheLimitAndKeepsEveryWord() {
        String word = "x".repeat(100);
        String html = (word + "\n").repeat(30);
        String joined = MailRenderer.joinLines(html);
        assertThat(joined.lines().toList()).hasSize(4)
                .allMatch(line -> line.length() <= MailRenderer.MAX_LINE);
        assertThat(joined.replace('\n', ' ').split(" ")).hasSize(30).containsOnly(word);
    }

    @Test
    void aLineLongerThanTheLimitStaysALineOfItsOwn() {
        String longLine = "y".repeat(MailRenderer.MAX_LINE + 50);
        String joined = MailRenderer.joinLines("<a>\n" + longLine + "\n<b>");
        assertThat(joined.lines().toList()).containsExactly("<a>", longLine, "<b>");
    }
}
