package ai.dad.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {

    @TempDir
    Path tmp;

    @Test
    void theFirstLineThatIsNoCommentIsTheToken() throws IOException {
        Path f = Files.writeString(tmp.resolve("t"), "# line 7\n\n   abc.DEF-123_x  \nsecond\n");
        assertEquals("abc.DEF-123_x", BearerToken.read(f));
    }

    @Test
    void emptyFilesAndTokensThatCannotBeHeadersAreRefused() throws IOException {
        Path empty = Files.writeString(tmp.resolve("e"), "# nothing\n\n");
        assertThrows(IOException.class, () -> BearerToken.read(empty));
        Path spaced = Files.writeString(tmp.resolve("s"), "two words\n");
        assertThrows(IOException.class, () -> BearerToken.read(spaced));
        assertThrows(IOException.class, () -> BearerToken.check("caf\u00e9", "--token"));
        assertThrows(IOException.class, () -> BearerToken.read(tmp.resolve("missing")));
    }
}
