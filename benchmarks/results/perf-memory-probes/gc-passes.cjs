// A grown heap in a bare Node, then gc() twice after DELAY ms (argv[2]): RSS, heapTotal, new space after each (no flag needed)
const v8=require('v8'),vm=require('vm');v8.setFlagsFromString('--expose-gc');const gc=vm.runInNewContext('gc');
const rss=()=>(process.memoryUsage().rss/1048576).toFixed(1), ht=()=>(process.memoryUsage().heapTotal/1048576).toFixed(1);
const ns=()=>(v8.getHeapSpaceStatistics().find(s=>s.space_name==='new_space').physical_space_size/1048576).toFixed(1);
let keep=[];for(let r=0;r<30;r++){const a=[];for(let i=0;i<2e5;i++)a.push({i,s:'x'+i});keep.push(a);if(keep.length>3)keep.shift();}
keep=null;
const d=Number(process.argv[2]);
console.log('before', rss(), ht(), 'new', ns());
setTimeout(()=>{let t=performance.now(); gc(); console.log('gc after',d,'ms:', (performance.now()-t).toFixed(1),'ms', rss(), ht(), 'new', ns());
 t=performance.now(); gc(); console.log('2nd gc', (performance.now()-t).toFixed(1),'ms', rss(), ht(), 'new', ns());
setTimeout(()=>console.log('1s later', rss(), ht(), 'new', ns()),1000);},d);
