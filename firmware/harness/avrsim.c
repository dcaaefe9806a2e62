/*
 * avrsim: runs Arduino Uno firmware on an emulated ATmega328P (libsimavr) in real time, with
 * UART0 on a pseudo-terminal, so the gateway and the tests talk to the real firmware.
 *
 *   avrsim [-r] [-b boot.hex] [-e eeprom.bin] [-t seconds] [-x] [-v] firmware.elf|firmware.hex
 *
 *   -r   reset the MCU whenever a client opens the pty, as DTR does on a real Uno
 *   -b   load a bootloader (Optiboot) and reset into it (BOOTRST fuse, reset vector 0x7E00)
 *   -e   EEPROM image: loaded at start when it exists, written back at exit (power cycles)
 *   -t   exit after this many seconds (a bound for tests)
 *   -x   run as fast as possible instead of in real time
 *   -v   log simavr's errors
 *
 * Prints "PTY /dev/pts/N" on stdout once the line is ready, then "OUT D<pin> <0|1>" whenever
 * the firmware changes digital output D2-D13 (what a relay on that pin would see). Reads
 * "IN D<pin> <0|1>" lines on stdin and drives that input pin (a contact closing to ground: 0).
 * SIGUSR1 pulses the reset pin; SIGTERM and SIGINT end it cleanly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <avr_eeprom.h>
#include <avr_ioport.h>
#include <avr_uart.h>
#include <sim_avr.h>
#include <sim_elf.h>
#include <sim_hex.h>
#include <uart_pty.h>
#include <stdint.h>

#define MCU_NAME "atmega328p"
#define CPU_HZ 16000000UL
#define SLICE_CYCLES (CPU_HZ / 1000) /* 1 ms of simulated time per slice */
#define BOOT_START 0x7E00
#define MCUSR_ADDRESS 0x54
#define MCUSR_EXTRF 0x02
#define EEPROM_SIZE 1024

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reset_requested;
static int is_verbose;

static void on_signal(int signal_number) {
  if (signal_number == SIGUSR1) reset_requested = 1;
  else stop_requested = 1;
}

static void quiet_logger(avr_t *avr, const int level, const char *format, va_list args) {
  (void)avr;
  if (is_verbose && level <= LOG_ERROR) vfprintf(stderr, format, args);
}

/* The harness keeps simulated time on the wall clock itself; simavr must not sleep. */
static void no_sleep(avr_t *avr, avr_cycle_count_t how_long) {
  (void)avr;
  (void)how_long;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ends_with(const char *text, const char *suffix) {
  size_t a = strlen(text), b = strlen(suffix);
  return a >= b && strcmp(text + a - b, suffix) == 0;
}

static int load_hex(avr_t *avr, const char *path) {
  ihex_chunk_p chunks = NULL;
  int count = read_ihex_chunks(path, &chunks);
  if (count <= 0) {
    fprintf(stderr, "avrsim: cannot read the hex file %s\n", path);
    return -1;
  }
  for (int i = 0; i < count; i++) {
    if (chunks[i].baseaddr + chunks[i].size > avr->flashend + 1) {
      fprintf(stderr, "avrsim: %s does not fit the flash (0x%x + %u bytes)\n", path, chunks[i].baseaddr, chunks[i].size);
      free_ihex_chunks(chunks);
      return -1;
    }
    memcpy(avr->flash + chunks[i].baseaddr, chunks[i].data, chunks[i].size);
  }
  free_ihex_chunks(chunks);
  return 0;
}

static int load_firmware(avr_t *avr, const char *path) {
  if (ends_with(path, ".hex")) return load_hex(avr, path);
  elf_firmware_t firmware;
  memset(&firmware, 0, sizeof firmware);
  if (elf_read_firmware(path, &firmware) != 0) {
    fprintf(stderr, "avrsim: cannot read the ELF file %s\n", path);
    return -1;
  }
  /* Arduino ELFs carry no .mmcu section: the MCU and clock are the harness's. */
  strcpy(firmware.mmcu, MCU_NAME);
  firmware.frequency = CPU_HZ;
  avr_load_firmware(avr, &firmware);
  return 0;
}

static void eeprom_load(avr_t *avr, const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) return;
  uint8_t image[EEPROM_SIZE];
  size_t read = fread(image, 1, sizeof image, file);
  fclose(file);
  avr_eeprom_desc_t desc = {.ee = image, .offset = 0, .size = (uint32_t)read};
  avr_ioctl(avr, AVR_IOCTL_EEPROM_SET, &desc);
}

static void eeprom_save(avr_t *avr, const char *path) {
  avr_eeprom_desc_t desc = {.ee = NULL, .offset = 0, .size = EEPROM_SIZE};
  avr_ioctl(avr, AVR_IOCTL_EEPROM_GET, &desc);
  if (!desc.ee) return;
  FILE *file = fopen(path, "wb");
  if (!file) {
    fprintf(stderr, "avrsim: cannot write the EEPROM image %s: %s\n", path, strerror(errno));
    return;
  }
  fwrite(desc.ee, 1, EEPROM_SIZE, file);
  fclose(file);
}

/* An external reset, as the reset pin (or DTR) gives: Optiboot stays only after EXTRF. */
static void external_reset(avr_t *avr, int slave_fd) {
  avr_reset(avr);
  avr->data[MCUSR_ADDRESS] |= MCUSR_EXTRF;
  /* What the firmware sent before the reset is not for the new reader. */
  tcflush(slave_fd, TCIFLUSH);
}

/* Counts opens and closes of the pty by others; returns 1 when some client opened it. */
static int watch_clients(int inotify_fd) {
  char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  int opened = 0;
  for (;;) {
    ssize_t length = read(inotify_fd, events, sizeof events);
    if (length <= 0) break;
    for (char *at = events; at < events + length;) {
      struct inotify_event *event = (struct inotify_event *)at;
      if (event->mask & IN_OPEN) opened = 1;
      at += sizeof *event + event->len;
    }
  }
  return opened;
}

static avr_t *the_avr;

/* Uno pin D2-D13 -> I/O port letter, bit, and data-space address of its DDR register. */
static void pin_location(int pin, char *port, int *bit, int *ddr_address) {
  *port = pin < 8 ? 'D' : 'B';
  *bit = pin < 8 ? pin : pin - 8;
  *ddr_address = pin < 8 ? 0x2A : 0x24; /* DDRD, DDRB */
}

static void on_output_pin(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  int pin = (int)(intptr_t)param, bit, ddr;
  char port;
  pin_location(pin, &port, &bit, &ddr);
  if (!(the_avr->data[ddr] & (1 << bit))) return; /* an input: its level is not ours to report */
  printf("OUT D%d %u\n", pin, value & 1);
  fflush(stdout);
}

/* Applies the "IN D<pin> <0|1>" lines that arrived on stdin (non-blocking). */
static void drive_inputs(avr_t *avr, int *is_stdin_open) {
  static char line[64];
  static size_t filled;
  if (!*is_stdin_open) return;
  for (;;) {
    char c;
    ssize_t got = read(0, &c, 1);
    if (got == 0) *is_stdin_open = 0;
    if (got <= 0) return;
    if (c != '\n') {
      if (filled < sizeof line - 1) line[filled++] = c;
      continue;
    }
    line[filled] = 0;
    filled = 0;
    int pin, level;
    if (sscanf(line, "IN D%d %d", &pin, &level) != 2 || pin < 2 || pin > 13) {
      fprintf(stderr, "avrsim: ignored input line \"%s\" (want IN D2..D13 0|1)\n", line);
      continue;
    }
    char port;
    int bit, ddr;
    pin_location(pin, &port, &bit, &ddr);
    avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(port), bit), level ? 1 : 0);
  }
}

/* Uno digital pins: D2-D7 are PD2-PD7, D8-D13 are PB0-PB5 (D0/D1 are the UART). */
static void watch_output_pins(avr_t *avr) {
  for (int bit = 2; bit < 8; bit++) {
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('D'), bit), on_output_pin, (void *)(intptr_t)bit);
  }
  for (int bit = 0; bit < 6; bit++) {
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('B'), bit), on_output_pin, (void *)(intptr_t)(8 + bit));
  }
}

static void usage(void) {
  fprintf(stderr, "usage: avrsim [-r] [-b boot.hex] [-e eeprom.bin] [-t seconds] [-x] [-v] firmware.elf|.hex\n");
}

int main(int argc, char **argv) {
  int is_reset_on_open = 0, is_unthrottled = 0;
  const char *boot_path = NULL, *eeprom_path = NULL;
  double limit_seconds = 0;
  int option;
  while ((option = getopt(argc, argv, "rb:e:t:xv")) != -1) {
    switch (option) {
      case 'r': is_reset_on_open = 1; break;
      case 'b': boot_path = optarg; break;
      case 'e': eeprom_path = optarg; break;
      case 't': limit_seconds = atof(optarg); break;
      case 'x': is_unthrottled = 1; break;
      case 'v': is_verbose = 1; break;
      default: usage(); return 2;
    }
  }
  if (optind >= argc && !boot_path) {
    usage();
    return 2;
  }

  avr_global_logger_set(quiet_logger);
  avr_t *avr = avr_make_mcu_by_name(MCU_NAME);
  if (!avr) {
    fprintf(stderr, "avrsim: simavr does not know %s\n", MCU_NAME);
    return 1;
  }
  avr_init(avr);
  avr->frequency = CPU_HZ;
  avr->sleep = no_sleep;
  avr->log = is_verbose ? LOG_ERROR : LOG_NONE;
  if (optind < argc && load_firmware(avr, argv[optind]) != 0) return 1;
  if (boot_path) {
    if (load_hex(avr, boot_path) != 0) return 1;
    avr->reset_pc = BOOT_START;
  }
  if (eeprom_path) eeprom_load(avr, eeprom_path);

  /* Polling UCSR0A must not sleep, or polling code (Optiboot) runs far below real time. */
  uint32_t flags = 0;
  avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
  flags &= ~(AVR_UART_FLAG_POLL_SLEEP | AVR_UART_FLAG_STDIO);
  avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);

  uart_pty_t pty;
  memset(&pty, 0, sizeof pty);
  uart_pty_init(avr, &pty);
  uart_pty_connect(&pty, '0');
  /* uart_pty_connect always (re)creates this shared symlink; parallel runs clobber it. */
  unlink("/tmp/simavr-uart0");
  const char *slave_name = pty.pty.slavename;

  /* Our own descriptor keeps the line alive while no client has it open, and is raw so that
   * nothing is echoed before the client configures the line. */
  int slave_fd = open(slave_name, O_RDWR | O_NOCTTY | O_NONBLOCK);
  if (slave_fd < 0) {
    fprintf(stderr, "avrsim: cannot open %s: %s\n", slave_name, strerror(errno));
    return 1;
  }
  struct termios raw;
  tcgetattr(slave_fd, &raw);
  cfmakeraw(&raw);
  tcsetattr(slave_fd, TCSANOW, &raw);
  int inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd < 0 || inotify_add_watch(inotify_fd, slave_name, IN_OPEN | IN_CLOSE) < 0) {
    fprintf(stderr, "avrsim: cannot watch %s: %s\n", slave_name, strerror(errno));
    return 1;
  }

  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGUSR1, &action, NULL);

  if (boot_path) avr->data[MCUSR_ADDRESS] |= MCUSR_EXTRF;
  the_avr = avr;
  watch_output_pins(avr);
  int is_stdin_open = 1;
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  printf("PTY %s\n", slave_name);
  fflush(stdout);

  double started = now_seconds();
  uint64_t simulated_cycles = 0;
  while (!stop_requested) {
    if (watch_clients(inotify_fd) && is_reset_on_open) reset_requested = 1;
    drive_inputs(avr, &is_stdin_open);
    if (reset_requested) {
      reset_requested = 0;
      external_reset(avr, slave_fd);
    }
    avr_cycle_count_t target = avr->cycle + SLICE_CYCLES;
    while (avr->cycle < target) {
      int state = avr_run(avr);
      if (state == cpu_Done || state == cpu_Crashed) break; /* waits for a reset */
    }
    simulated_cycles += SLICE_CYCLES;
    double simulated = (double)simulated_cycles / CPU_HZ;
    if (limit_seconds > 0 && simulated >= limit_seconds) break;
    double ahead = simulated - (now_seconds() - started);
    if (!is_unthrottled && ahead > 0) {
      struct timespec pause = {.tv_sec = (time_t)ahead, .tv_nsec = (long)((ahead - (double)(time_t)ahead) * 1e9)};
      nanosleep(&pause, NULL);
    }
  }

  /* uart_pty_stop() can hang (its SIGINT to the thread is lost outside select): cancel it. */
  pthread_cancel(pty.thread);
  pthread_join(pty.thread, NULL);
  if (eeprom_path) eeprom_save(avr, eeprom_path);
  fprintf(stderr, "avrsim: %.3f s simulated in %.3f s\n", (double)simulated_cycles / CPU_HZ, now_seconds() - started);
  return 0;
}
