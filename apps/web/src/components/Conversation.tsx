import { useCodexMessages } from "codex-local-component/react";
import { chat } from "../api.js";
import { interleave } from "../timeline.js";
import { Command, useCommandRuns } from "./Command.js";
import type { PageComposer } from "./Composer.js";
import { Message } from "./Message.js";

/** The thread oldest first: messages (live while streaming, failed sends marked) with the commands codex ran between them. */
export function Conversation({ threadId, composer }: { threadId: string; composer: PageComposer }) {
  const { results, status, loadMore } = useCodexMessages(chat.threadMessages, { threadId }, {
    initialNumItems: 50,
    stream: true,
    // Sends whose command failed or was cancelled come back marked `failed` with the reason.
    commandStatus: chat.commandStatus,
  });
  const commands = useCommandRuns(threadId);

  return (
    <section className="conversation" data-testid="conversation">
      {status === "CanLoadMore" && (
        <button type="button" onClick={() => loadMore(50)}>
          Older messages
        </button>
      )}
      {interleave(results, commands).map((entry) =>
        entry.kind === "message" ? (
          <Message key={entry.message.key} message={entry.message} composer={composer} />
        ) : (
          <Command key={entry.command._id} run={entry.command} />
        ),
      )}
    </section>
  );
}
