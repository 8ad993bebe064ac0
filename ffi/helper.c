/* kubun container helper, compiled at start-up by bun:ffi cc (TinyCC).
 * No #include on purpose: every prototype and constant is declared here so it
 * compiles on hosts without libc headers. Everything between clone() and
 * execve() runs here in C: JavaScript must never run in a cloned child. */
typedef unsigned long size_t; typedef long ssize_t;
extern int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...);
extern long syscall(long n, ...);
extern int mount(const char *, const char *, const char *, unsigned long, const void *);
extern int umount2(const char *, int);
extern int chdir(const char *); extern int sethostname(const char *, size_t);
extern int setns(int, int); extern int execve(const char *, char *const[], char *const[]);
extern ssize_t read(int, void *, size_t); extern ssize_t write(int, const void *, size_t);
extern int close(int); extern void _exit(int); extern int *__errno_location(void);
extern void *mmap(void *, size_t, int, int, int, long); extern int munmap(void *, size_t);
extern int mkdir(const char *, unsigned); extern int open(const char *, int, ...);
extern int access(const char *, int); extern int setsid(void);
extern int unshare(int); extern int dup2(int, int); extern int ioctl(int, unsigned long, ...);
extern int symlink(const char *, const char *); extern int prctl(int, unsigned long, unsigned long, unsigned long, unsigned long);
extern int kill(int, int); extern int umask(int);

#define CLONE_NEWNS 0x00020000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_PARENT 0x00008000
#define CLONE_VM 0x00000100
#define CLONE_VFORK 0x00004000
#define MS_BIND 4096
#define MS_REC 16384
#define MS_PRIVATE (1<<18)
#define MNT_DETACH 2
#define SIGCHLD 17
/* raw syscall numbers: glibc's setuid family would signal threads that do not exist in the
 * cloned child (they belong to Bun) and wait on a futex forever */
#if defined(__aarch64__)
#define SYS_pivot_root 41
#define SYS_rt_sigaction 134
#define SYS_rt_sigprocmask 135
#define SYS_capset 91
#define SYS_pipe2 59
#define SYS_setgroups 159
#define SYS_setresgid 149
#define SYS_setresuid 147
#else
#define SYS_pivot_root 155
#define SYS_rt_sigaction 13
#define SYS_rt_sigprocmask 14
#define SYS_capset 126
#define SYS_pipe2 293
#define SYS_setgroups 116
#define SYS_setresgid 119
#define SYS_setresuid 117
#endif
#define SYS_close_range 436
#define CLONE_INTO_CGROUP 0x200000000ULL
#if defined(__x86_64__)
/* clone3(args, size) with the child running fn(arg) on the new stack, then exit: a new stack
 * needs this in assembly (the child must not return through the caller's frame). */
extern long kubun_clone3(void *args, long size, int (*fn)(void *), void *arg);
__asm__(".text\n.globl kubun_clone3\nkubun_clone3:\n"
  "push %r12\npush %r13\nmov %rdx, %r12\nmov %rcx, %r13\nmov $435, %eax\nsyscall\n"
  "test %rax, %rax\njnz kubun_clone3_parent\n"
  "xor %ebp, %ebp\nmov %r13, %rdi\ncall *%r12\nmov %eax, %edi\nmov $60, %eax\nsyscall\nhlt\n"
  "kubun_clone3_parent:\npop %r13\npop %r12\nret\n");
#define HAVE_CLONE3 1
#endif
#define PR_SET_NO_NEW_PRIVS 38
#define PR_CAPBSET_DROP 24
#define PR_SET_KEEPCAPS 8
#define PR_SET_PDEATHSIG 1
#define TIOCSCTTY 0x540E
#define O_DIRECTORY 0200000
#define O_CLOEXEC 02000000
#define OPT_OPTIONAL (1UL << 40)
#define OPT_SYMLINK  (1UL << 41)
#define OPT_FILE     (1UL << 42)

/* Step numbers reported through the error pipe; names live in ffi/steps.ts. */
enum { ST_SYNC = 1, ST_CGROUPNS, ST_SETNS, ST_PRIVATE, ST_MOUNT, ST_HOSTNAME, ST_CHDIR_ROOT,
       ST_PIVOT, ST_UMOUNT_OLD, ST_CHDIR_CWD, ST_SETSID, ST_TTY, ST_DUP2, ST_BOUNDING, ST_KEEPCAPS,
       ST_SETGROUPS, ST_SETGID, ST_SETUID, ST_CAPSET, ST_NNP, ST_EXEC, ST_CLOSERANGE, ST_CLONE2, ST_CGROUP };

/* All fields are 8-byte slots; the JS side (ffi/helper.ts) fills this layout. */
struct spec {
  long flags;        /* clone namespace flags */
  char *root;        /* host path of the mounted root; 0 = do not pivot (exec) */
  char *hostname;
  long nm; char **mounts; /* 5 slots each: src tgt type flags data */
  char **argv; char **envp; char *cwd;
  long errfd;        /* write end of the close-on-exec error pipe */
  long ncg; long *cgfds;   /* open cgroup.procs fds, written by the parent */
  long nns; long *nsfds;   /* namespaces to join (setns with type 0) before mounting */
  long pidnsfd;      /* pid namespace to create the child in, or -1 */
  long selfpidnsfd;  /* our own pid namespace to return to, or -1 */
  long stdio[3];     /* fds dup2'ed onto 0,1,2 */
  long tty;          /* make fd 0 the controlling terminal */
  long uid; long gid; long ngroups; unsigned *groups; /* 32-bit gids */
  long capset;       /* 1 = apply caps below */
  unsigned long caps;      /* capability bitmask (bits 0..63) kept in bounding/eff/perm/inh */
  long nnp;          /* no_new_privs */
  long cgdirfd;      /* cgroup2 directory to clone the child straight into (clone3), or -1 */
  char *path;        /* program to execute; 0 = argv[0] (argv[0] stays as the user wrote it, like runc) */
};

static void fail(struct spec *s, int step) {
  int e[2]; e[0] = step; e[1] = *__errno_location();
  write((int)s->errfd, e, 8); _exit(127);
}

static void mkdir_p(char *p) {
  char *q; for (q = p + 1; *q; q++) if (*q == '/') { *q = 0; mkdir(p, 0755); *q = '/'; }
  mkdir(p, 0755);
}

static void make_parent(char *p) {
  char *q, *last = 0; for (q = p; *q; q++) if (*q == '/') last = q;
  if (last && last != p) { *last = 0; mkdir_p(p); *last = '/'; }
}

static void do_mounts(struct spec *s) {
  long i;
  for (i = 0; i < s->nm; i++) {
    char **m = s->mounts + 5 * i; unsigned long fl = (unsigned long)m[3];
    unsigned long mf = fl & 0xffffffffUL;
    if (fl & OPT_SYMLINK) { make_parent(m[1]); if (symlink(m[0], m[1]) < 0 && !(fl & OPT_OPTIONAL)) fail(s, ST_MOUNT); continue; }
    if (m[0] && access(m[1], 0) < 0) {     /* create the mount point: a file for file binds */
      if (fl & OPT_FILE) { int fd; make_parent(m[1]); fd = open(m[1], 0101 | O_CLOEXEC, 0644); if (fd >= 0) close(fd); }
      else mkdir_p(m[1]);
    }
    if (mount(m[0], m[1], m[2], mf, m[4]) < 0) {
      if ((fl & OPT_OPTIONAL) && (*__errno_location() == 2 || *__errno_location() == 20)) continue;
      *__errno_location() = *__errno_location() | ((int)i << 16); /* which mount: high bits */
      fail(s, ST_MOUNT);
    }
  }
}

static void set_ids(struct spec *s) {
  if (syscall(SYS_setgroups, s->ngroups, s->groups) < 0) fail(s, ST_SETGROUPS);
  if (syscall(SYS_setresgid, s->gid, s->gid, s->gid) < 0) fail(s, ST_SETGID);
  if (syscall(SYS_setresuid, s->uid, s->uid, s->uid) < 0) fail(s, ST_SETUID);
}

static void cap_setup(struct spec *s) {
  long c; unsigned hdr[2]; unsigned data[6];
  for (c = 0; c < 64; c++) {
    if (s->caps & (1UL << c)) continue;
    if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0) { if (*__errno_location() == 22) break; fail(s, ST_BOUNDING); }
  }
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail(s, ST_KEEPCAPS);
  set_ids(s);
  hdr[0] = 0x20080522; hdr[1] = 0;
  data[0] = data[1] = data[2] = (unsigned)(s->caps & 0xffffffffUL);
  data[3] = data[4] = data[5] = (unsigned)(s->caps >> 32);
  { unsigned d[6]; d[0] = data[0]; d[1] = data[1]; d[2] = data[2]; d[3] = data[3]; d[4] = data[4]; d[5] = data[5];
    if (syscall(SYS_capset, hdr, d) < 0) fail(s, ST_CAPSET); }
}

static int child(void *arg) {
  struct spec *s = arg; long i; unsigned long act[4], none = 0;
  /* We share Bun's memory (CLONE_VM) until execve: Bun's signal handlers must never run here.
   * Signals arrive blocked; reset every handler to the default, then unblock (the container
   * must not inherit an ignored SIGPIPE or a blocked mask either). */
  act[0] = act[1] = act[2] = act[3] = 0;
  for (i = 1; i < 65; i++) syscall(SYS_rt_sigaction, i, act, 0, 8);
  syscall(SYS_rt_sigprocmask, 2 /*SIG_SETMASK*/, &none, 0, 8);
  /* join the container cgroups ourselves ("0" = the writer) before anything else runs */
  for (i = 0; i < s->ncg; i++) if (write((int)s->cgfds[i], "0", 1) < 0) fail(s, ST_CGROUP);
  /* cgroup ns only after the parent placed us in the container cgroups: that is the ns root */
  if ((s->flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) fail(s, ST_CGROUPNS);
  for (i = 0; i < s->nns; i++) if (setns((int)s->nsfds[i], 0) < 0) fail(s, ST_SETNS);
  if (s->root) {
    if (mount(0, "/", 0, MS_REC | MS_PRIVATE, 0) < 0) fail(s, ST_PRIVATE);
    do_mounts(s);
  } else if (s->nm) do_mounts(s); /* no root: mounts land in the caller's mount ns (a netns bind mount) */
  if (s->hostname && sethostname(s->hostname, __builtin_strlen(s->hostname)) < 0) fail(s, ST_HOSTNAME);
  if (s->root) {
    if (chdir(s->root) < 0) fail(s, ST_CHDIR_ROOT);
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail(s, ST_PIVOT);
    if (umount2(".", MNT_DETACH) < 0) fail(s, ST_UMOUNT_OLD);
  }
  if (setsid() < 0) fail(s, ST_SETSID);
  for (i = 0; i < 3; i++) if (s->stdio[i] >= 0 && s->stdio[i] != i && dup2((int)s->stdio[i], (int)i) < 0) fail(s, ST_DUP2);
  if (s->tty && ioctl(0, TIOCSCTTY, 0) < 0) fail(s, ST_TTY);
  if (s->capset) cap_setup(s);
  else set_ids(s);
  if (chdir(s->cwd ? s->cwd : "/") < 0) fail(s, ST_CHDIR_CWD);
  if (s->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail(s, ST_NNP);
  /* every other inherited fd closes at execve; the error pipe stays open until then */
  if (syscall(SYS_close_range, 3, ~0U, 4 /*CLOSE_RANGE_CLOEXEC*/) < 0) fail(s, ST_CLOSERANGE);
  umask(022);
  execve(s->path ? s->path : s->argv[0], s->argv, s->envp);
  fail(s, ST_EXEC); return 0;
}

/* Clone the container's first process (or an exec'd process); returns pid > 0 or -errno.
 * CLONE_VM|CLONE_VFORK like posix_spawn: no copy of Bun's page tables, and this thread
 * resumes once the child called execve or exited. */
long ctr_spawn(struct spec *s) {
  size_t sz = 256 * 1024; int p, e; long i; unsigned long all = ~0UL, old = 0;
  char *stk = mmap(0, sz, 3 /*RW*/, 0x22 | 0x20000 /*PRIVATE|ANON|STACK*/, -1, 0);
  if ((long)stk == -1) return -*__errno_location();
  /* joining a pid ns only affects children of this thread; switch back right after clone */
  if (s->pidnsfd >= 0 && setns((int)s->pidnsfd, CLONE_NEWPID) < 0) { e = *__errno_location(); munmap(stk, sz); return -e; }
  syscall(SYS_rt_sigprocmask, 0 /*SIG_BLOCK*/, &all, &old, 8);
#ifdef HAVE_CLONE3
  if (s->cgdirfd >= 0) {
    /* placed in the cgroup2 group at fork: writing its cgroup.procs takes the kernel's threadgroup
     * write lock, which waits for an RCU grace period (3-25 ms) */
    unsigned long long ca[11]; long r;
    for (i = 0; i < 11; i++) ca[i] = 0;
    ca[0] = (unsigned long long)(((unsigned long)s->flags & ~(unsigned long)CLONE_NEWCGROUP) | CLONE_VM | CLONE_VFORK) | CLONE_INTO_CGROUP;
    ca[4] = SIGCHLD; ca[5] = (unsigned long long)stk; ca[6] = sz; ca[10] = (unsigned long long)s->cgdirfd;
    r = kubun_clone3(ca, 88, child, s);
    if (r < 0) { p = -1; e = (int)-r; } else { p = (int)r; e = 0; }
  } else
#endif
  { p = clone(child, stk + sz, ((int)s->flags & ~CLONE_NEWCGROUP) | CLONE_VM | CLONE_VFORK | SIGCHLD, s);
    e = *__errno_location(); }
  syscall(SYS_rt_sigprocmask, 2 /*SIG_SETMASK*/, &old, 0, 8);
  if (s->pidnsfd >= 0) setns((int)s->selfpidnsfd, CLONE_NEWPID);
  munmap(stk, sz);
  if (p < 0) return -e;
  return p;
}
