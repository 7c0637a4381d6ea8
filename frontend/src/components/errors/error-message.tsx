import { AlertTriangle } from "lucide-react";
import { Button } from "@/components/ui/button";
import { createTranslator } from "@/lib/i18n";
import { errorMessage } from "@/lib/api/errors";

const t = createTranslator({ en: { title: "Something went wrong", retry: "Try again" } });

/** An error as the server worded it, with a retry when one makes sense. */
export function ErrorMessage({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <div role="alert" className="flex flex-col items-start gap-2 rounded-lg border border-destructive/40 bg-destructive/5 p-4">
      <div className="flex items-center gap-2 font-medium">
        <AlertTriangle className="size-4 text-destructive" aria-hidden="true" />
        {title ?? t("title")}
      </div>
      <p className="text-sm break-words text-muted-foreground">{errorMessage(error)}</p>
      {onRetry ? (
        <Button variant="outline" size="sm" onClick={onRetry}>
          {t("retry")}
        </Button>
      ) : null}
    </div>
  );
}

/** A one-line error under a form. */
export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="text-sm text-destructive">
      {errorMessage(error)}
    </p>
  );
}
