"""The Telegram bot: /start tells a user their chat id, /ack acknowledges an alert from the phone.

StatusMonitor v1 had users read their chat id off the raw Bot API (getUpdates) by hand; the bot
answers it instead. It long-polls getUpdates on `{TELEGRAM_API_URL}/bot{TELEGRAM_BOT_TOKEN}/...`, so
one process per bot token (Telegram refuses two pollers). `python -m alert_service.telegram_bot`.

The token sits in every Bot API URL: nothing here logs a URL, python-telegram-bot's and httpx's
request logs are kept below DEBUG, and a filter on the log handlers blanks the token anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from functools import partial
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, Update
from telegram.error import Conflict as PollConflict
from telegram.error import Forbidden, InvalidToken, RetryAfter, TelegramError

from alert_service.channels.telegram import retry_after_seconds
from alert_service.config import AlertSettings
from alert_service.domain.telegram_commands import INTERNAL_ERROR, handle_update
from core.backoff import Backoff
from core.logging import get_logger
from core.settings import Settings
from core.worker_factory import WorkerContext, run_worker, serve

log = get_logger(__name__)
T = TypeVar("T")

# --- Polling loop ---------------------------------------------------------------------------


class TokenRedactor(logging.Filter):
    """Blanks the bot token in every log record, whoever logged it (PTB, httpx, tracebacks)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, dict):  # a structlog event on its way to the formatter
            record.msg = {k: self._scrub(v) for k, v in record.msg.items()}
        elif self._token in record.getMessage():
            record.msg, record.args = self._scrub(record.getMessage()), None
        if record.exc_info and record.exc_info[1] is not None:
            self._scrub_traceback(record)
        return True

    def _scrub_traceback(self, record: logging.LogRecord) -> None:
        assert record.exc_info is not None  # noqa: S101 - checked by the caller
        trace = logging.Formatter().formatException(record.exc_info)
        if self._token not in trace:
            return
        record.exc_info = None
        if isinstance(record.msg, dict):
            record.msg["exception"] = self._scrub(trace)
        else:
            record.msg, record.args = f"{record.getMessage()}\n{self._scrub(trace)}", None

    def _scrub(self, value: Any) -> Any:
        return value.replace(self._token, "[redacted]") if isinstance(value, str) else value


def protect_token_in_logs(token: str) -> None:
    # Their DEBUG lines print the Bot API URL, token included.
    for name in ("telegram", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger(name).level))
    for handler in logging.getLogger().handlers:
        handler.addFilter(TokenRedactor(token))


def _describe(exc: BaseException, token: str) -> str:
    return f"{type(exc).__name__}: {exc}".replace(token, "[redacted]")


class TelegramBotRunner:
    """Long-polls getUpdates and answers each update; Bot API failures back off and retry."""

    def __init__(
        self,
        bot: Bot,
        token: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        public_url: str | None = None,
        poll_timeout: int = 30,
        backoff: Backoff | None = None,
    ) -> None:
        self._bot = bot
        self._token = token
        self._sessionmaker = sessionmaker
        self._public_url = public_url
        self._poll_timeout = poll_timeout
        self._backoff = backoff or Backoff(base=1, cap=60)
        self._stopping = asyncio.Event()
        self._offset: int | None = None

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        try:
            if not await self._connect():
                return
            while not self._stopping.is_set():
                updates = await self._poll()
                for update in updates:
                    await self._answer(update)
                    self._offset = update.update_id + 1
        finally:
            await self._confirm_offset()
            await self._bot.shutdown()
        log.info("telegram bot stopped")

    async def _connect(self) -> bool:
        """getMe until it works: a bad token or an unreachable API must not end the process."""
        while not self._stopping.is_set():
            try:
                await self._until_stopped(self._bot.initialize())
            except TelegramError as exc:
                await self._failed("telegram bot cannot reach the Bot API", exc)
                continue
            if self._stopping.is_set():
                break
            self._backoff.reset()
            log.info("telegram bot polling", username=self._bot.username)
            return True
        return False

    async def _poll(self) -> tuple[Update, ...]:
        try:
            fetched = await self._until_stopped(
                self._bot.get_updates(
                    offset=self._offset, timeout=self._poll_timeout, allowed_updates=["message"]
                )
            )
        except TelegramError as exc:
            await self._failed("telegram getUpdates failed", exc)
            return ()
        self._backoff.reset()
        return fetched or ()

    async def _until_stopped(self, call: Awaitable[T]) -> T | None:
        """Awaits `call` unless stop() comes first (a long poll would delay shutdown 30 s)."""
        task: asyncio.Task[T] = asyncio.ensure_future(call)
        stopper = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if task.done():
            return task.result()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return None

    async def _failed(self, what: str, exc: TelegramError) -> None:
        # Telegram's flood control names its own wait; anything else backs off exponentially.
        if isinstance(exc, RetryAfter):
            delay = retry_after_seconds(exc)
        else:
            delay = self._backoff.next_delay()
        log.warning(what, error=_describe(exc, self._token), retry_in=delay, hint=_hint(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=delay)

    async def _answer(self, update: Update) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        try:
            reply = await handle_update(update, self._sessionmaker, public_url=self._public_url)
        except Exception:
            log.exception("telegram update failed", update_id=update.update_id)
            reply = INTERNAL_ERROR
        if reply:
            await self._send(chat.id, reply)

    async def _send(self, chat_id: int, text: str) -> None:
        for _ in range(2):
            try:
                await self._bot.send_message(chat_id=chat_id, text=text)
                return
            except RetryAfter as exc:
                await asyncio.sleep(min(retry_after_seconds(exc), 30))
            except TelegramError as exc:
                # One lost reply (a user who blocked the bot) must not hold the others up.
                log.warning("telegram reply failed", error=_describe(exc, self._token))
                return

    async def _confirm_offset(self) -> None:
        """Tells Telegram what was handled, so a restart does not answer those updates again."""
        if self._offset is None:
            return
        try:
            await asyncio.wait_for(self._bot.get_updates(offset=self._offset, timeout=0), 5)
        except (TelegramError, TimeoutError) as exc:
            log.warning("telegram offset not confirmed", error=_describe(exc, self._token))


def _hint(exc: TelegramError) -> str | None:
    if isinstance(exc, InvalidToken | Forbidden):
        return "TELEGRAM_BOT_TOKEN is rejected by Telegram: check it with @BotFather"
    if isinstance(exc, PollConflict):
        return "another process polls this bot (or a webhook is set): run one bot per token"
    return None


def configured_token(alert_settings: AlertSettings) -> str | None:
    secret = alert_settings.telegram_bot_token
    return secret.get_secret_value() if secret else None


async def telegram_bot(context: WorkerContext[AlertSettings], *, poll_timeout: int = 30) -> None:
    token = configured_token(context.config)
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    runner = TelegramBotRunner(
        Bot(token, base_url=context.config.telegram_bot_base_url),
        token,
        context.sessionmaker,
        public_url=context.config.public_url,
        poll_timeout=poll_timeout,
    )
    context.on_stop(runner.stop)
    await runner.run()


async def run_bot(
    settings: Settings,
    alert_settings: AlertSettings,
    *,
    poll_timeout: int = 30,
    stop: asyncio.Event | None = None,
) -> None:
    """Polls until `stop` is set, or until SIGTERM/SIGINT when no event is given."""
    bot = partial(telegram_bot, poll_timeout=poll_timeout)
    await serve(bot, settings, alert_settings, stop=stop)


async def _main(context: WorkerContext[AlertSettings]) -> None:
    token = configured_token(context.config)
    if token is None:
        log.info("telegram bot not started: set TELEGRAM_BOT_TOKEN to enable /start and /ack")
        return
    protect_token_in_logs(token)
    await telegram_bot(context)


def main() -> None:
    # The alert worker serves ALERT_METRICS_PORT; the bot has no metrics of its own.
    run_worker("telegram_bot", _main, AlertSettings, metrics=False)


if __name__ == "__main__":
    main()
