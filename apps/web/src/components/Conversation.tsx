import { useCodexMessages } from "codex-local-component/react";
import { chat } from "../api.js";
import { interleave } from "../timeline.js";
import { Command, useCommandRuns } from "./Command.js";
import { Message } from "./Message.js";

/** The thread oldest first: messages (live while streaming) with the commands codex ran between them. */
export function Conversation({ threadId }: { threadId: string }) {
  const { results, status, loadMore } = useCodexMessages(chat.threadMessages, { threadId }, { initialNumItems: 50, stream: true });
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
          <Message key={entry.message.key} message={entry.message} />
        ) : (
          <Command key={entry.command._id} run={entry.command} />
        ),
      )}
    </section>
  );
}
