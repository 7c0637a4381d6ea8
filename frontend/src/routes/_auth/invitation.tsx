import { useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { compact, optionalString } from "@/lib/search";
import { buttonVariants } from "@/components/ui/button";
import { AuthCard, authText as t, InvitationAnswer } from "@/features/auth";
import { session } from "@/lib/api/session";

export const Route = createFileRoute("/_auth/invitation")({
  validateSearch: (raw: Record<string, unknown>) => compact({ token: optionalString(raw.token, 512) }),
  // Signed in already (a reload keeps the session by cookie)? Then answer at once.
  loader: async () => ({ signedIn: (await session.valid()) !== null }),
  component: InvitationPage,
});

function InvitationPage() {
  const { token } = Route.useSearch();
  const { signedIn } = Route.useLoaderData();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  if (!token) {
    return (
      <AuthCard title={t("invitationTitle")}>
        <p role="alert" className="text-sm">
          {t("invitationMissing")}
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("invitationTitle")} hint={signedIn ? undefined : t("invitationHint")}>
      {signedIn ? (
        <InvitationAnswer
          token={token}
          onDone={() => {
            queryClient.clear();
            void navigate({ to: "/organization" });
          }}
        />
      ) : (
        <div className="flex flex-wrap gap-2">
          <Link to="/login" search={{ invitation: token }} className={buttonVariants()}>
            {t("signIn")}
          </Link>
          <Link to="/register" search={{ invitation: token }} className={buttonVariants({ variant: "outline" })}>
            {t("register")}
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
