// node smaps-anon.cjs /proc/PID/smaps-copy: anonymous mappings by size class, and the largest ones.
const t=require("fs").readFileSync(process.argv[2],"utf8").split("\n");let cur;const out=[];
for(const l of t){const h=l.match(/^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/);if(h){cur={sz:(parseInt(h[2],16)-parseInt(h[1],16))/1024,name:h[4],addr:h[1],perm:h[3]};out.push(cur);continue}const r=l.match(/^Rss:\s+(\d+)/);if(r)cur.rss=+r[1];}
const b={};for(const m of out){if(m.name)continue;const k=m.sz<=256?'a<=256K':m.sz<=1024?'b<=1M':m.sz<=4096?'c<=4M':m.sz<=65536?'d<=64M':'e>64M';b[k]??={n:0,rss:0,sz:0};b[k].n++;b[k].rss+=m.rss;b[k].sz+=m.sz}
console.log(b);
console.log(out.filter(m=>!m.name&&m.rss>300).sort((a,c)=>c.rss-a.rss).slice(0,20).map(m=>`${m.addr} ${m.perm} size ${m.sz} rss ${m.rss}`).join('\n'))
